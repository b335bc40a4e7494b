package com.messagingconnectors.integration.teams;

import tools.jackson.databind.JsonNode;
import com.messagingconnectors.config.microsoft.MicrosoftJson;
import com.messagingconnectors.config.microsoft.MicrosoftTokenEndpoint;
import com.messagingconnectors.config.microsoft.TeamsScopes;
import com.messagingconnectors.config.microsoft.TokenAnswer;
import com.messagingconnectors.config.microsoft.TokenEndpointUnreachableException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * integration-service's side of Microsoft: the token endpoint (code exchange with PKCE, refresh — config-core's
 * {@link MicrosoftTokenEndpoint}, shared with teams-sender) and Graph GETs for the pickers. 5xx answers and
 * unreachable endpoints become {@link UnavailableException}.
 */
@Component
@EnableConfigurationProperties(TeamsConnectProperties.class)
public class MicrosoftIdentity {
    /** The identity platform or Graph could not be reached, or answered 5xx. */
    public static class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }

    private final TeamsConnectProperties properties;
    private final HttpClient http;
    private final MicrosoftTokenEndpoint tokenEndpoint;

    public MicrosoftIdentity(TeamsConnectProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.tokenEndpoint = new MicrosoftTokenEndpoint(http, properties.authorityBaseUrl(), properties.tenant(),
                properties.clientId(), properties.clientSecret(), properties.requestTimeout());
    }

    public TeamsConnectProperties properties() {
        return properties;
    }

    public TokenAnswer redeemCode(String code, String codeVerifier) {
        return available(() -> tokenEndpoint.redeemCode(code, codeVerifier, properties.redirectUri(),
                TeamsScopes.SIGN_IN));
    }

    public TokenAnswer refresh(String tenantId, String refreshToken) {
        return available(() -> tokenEndpoint.refresh(tenantId, refreshToken, TeamsScopes.SIGN_IN));
    }

    private static TokenAnswer available(Supplier<TokenAnswer> call) {
        TokenAnswer answer;
        try {
            answer = call.get();
        } catch (TokenEndpointUnreachableException e) {
            throw new UnavailableException(e.getMessage());
        }
        if (answer.status() >= 500) {
            throw new UnavailableException("the Microsoft token endpoint answered HTTP " + answer.status());
        }
        return answer;
    }

    /** GET on Graph with a delegated access token; the status and the JSON body. */
    public record GraphAnswer(int status, JsonNode body) {
    }

    public GraphAnswer graphGet(String path, String accessToken) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(properties.graph(path)))
                .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json").GET(),
                "Microsoft Graph");
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            throw new UnavailableException("Microsoft Graph answered HTTP " + response.statusCode() + "; try again");
        }
        return new GraphAnswer(response.statusCode(), MicrosoftJson.parse(response.body()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String who) {
        try {
            return http.send(request.timeout(properties.requestTimeout()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException(who + " could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted");
        }
    }
}
