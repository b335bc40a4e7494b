package com.messagingconnectors.config.secrets;

import com.messagingconnectors.config.model.EncryptedSecret;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {
    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void sealedSecretOpensAndDoesNotContainThePlaintext() {
        SecretBox box = SecretBox.fromConfig("k1:" + K1, null);
        EncryptedSecret sealed = box.seal("xoxb-very-secret", "integration/ws_1/i1/token");
        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.ciphertext()).doesNotContain("secret");
        assertThat(sealed.toString()).doesNotContain(sealed.ciphertext());
        assertThat(box.open(sealed, "integration/ws_1/i1/token")).isEqualTo("xoxb-very-secret");
    }

    @Test
    void rotationOldSecretsStillOpenNewOnesUseTheNewKey() {
        EncryptedSecret old = SecretBox.fromConfig("k1:" + K1, null).seal("s1", "p");
        SecretBox rotated = SecretBox.fromConfig("k2:" + K2 + ",k1:" + K1, null);
        assertThat(rotated.open(old, "p")).isEqualTo("s1");
        assertThat(rotated.seal("s2", "p").keyId()).isEqualTo("k2");
    }

    @Test
    void movedOrTamperedCiphertextIsRefusedWithoutLeakingIt() {
        SecretBox box = SecretBox.fromConfig("k1:" + K1, null);
        EncryptedSecret sealed = box.seal("s1", "integration/ws_a/i1/token");
        assertThatThrownBy(() -> box.open(sealed, "integration/ws_b/i1/token"))
                .hasMessageContaining("could not be decrypted").hasMessageNotContaining(sealed.ciphertext());
        assertThatThrownBy(() -> SecretBox.fromConfig("k2:" + K2, null).open(sealed, "integration/ws_a/i1/token"))
                .hasMessageContaining("k1").hasMessageContaining("not configured");
    }

    /** Opened secrets are remembered (senders open one per delivery): that must not let a moved copy through. */
    @Test
    void aSecretOpenedOnceStillRefusesAnotherPurposeOrATamperedCopy() {
        SecretBox box = SecretBox.fromConfig("k1:" + K1, null);
        EncryptedSecret sealed = box.seal("s1", "integration/ws_a/i1/token");
        assertThat(box.open(sealed, "integration/ws_a/i1/token")).isEqualTo("s1");
        assertThat(box.open(sealed, "integration/ws_a/i1/token")).isEqualTo("s1");

        assertThatThrownBy(() -> box.open(sealed, "integration/ws_b/i1/token"))
                .hasMessageContaining("could not be decrypted");
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[0] ^= 1;
        EncryptedSecret tampered = new EncryptedSecret(sealed.keyId(), sealed.nonce(),
                Base64.getEncoder().encodeToString(bytes));
        assertThatThrownBy(() -> box.open(tampered, "integration/ws_a/i1/token"))
                .hasMessageContaining("could not be decrypted");
    }

    @Test
    void badKeyConfigurationIsExplained() {
        assertThatThrownBy(() -> SecretBox.fromConfig("", null)).hasMessageContaining("connectors.secrets.keys");
        assertThatThrownBy(() -> SecretBox.fromConfig("k1:" + Base64.getEncoder().encodeToString(new byte[16]), null))
                .hasMessageContaining("32 bytes");
    }
}
