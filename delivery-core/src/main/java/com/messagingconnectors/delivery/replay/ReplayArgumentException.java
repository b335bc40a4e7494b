package com.messagingconnectors.delivery.replay;

import java.util.List;

/** The operator's request cannot be carried out as given; nothing was replayed. Lists every problem at once. */
public class ReplayArgumentException extends IllegalArgumentException {
    private final List<String> problems;

    public ReplayArgumentException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
