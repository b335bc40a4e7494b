package com.messagingconnectors.e2e;

import com.messagingconnectors.sandbox.SandboxServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class on the run's shared {@link ChatStack}: {@link #stack}, {@link #admin} and {@link #sandbox} are set
 * before its tests (the stack is started by the first class that asks and stopped when the run ends).
 */
@ExtendWith(ChatStack.Shared.class)
abstract class OnChatStack {
    static ChatStack stack;
    static AdminSession admin;
    static SandboxServer sandbox;

    @BeforeAll
    static void useTheStack(ChatStack shared) {
        stack = shared;
        admin = shared.admin;
        sandbox = shared.sandbox;
    }
}
