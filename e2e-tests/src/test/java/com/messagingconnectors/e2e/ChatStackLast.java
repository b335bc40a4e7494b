package com.messagingconnectors.e2e;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the classes on the shared {@link ChatStack} after all others, in name order. The stack lives until the run
 * ends; its services share the tests' broker and consumer groups with the classes that start their own senders and
 * routers (a crash test's webhook-sender would otherwise share its partitions with the stack's, which cannot open its
 * secrets), so nothing may run after it starts.
 */
public final class ChatStackLast implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor d) -> OnChatStack.class.isAssignableFrom(d.getTestClass()))
                .thenComparing(d -> d.getTestClass().getName()));
    }
}
