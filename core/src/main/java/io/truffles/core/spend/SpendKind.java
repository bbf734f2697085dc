package io.truffles.core.spend;

/** Who spent: the analyzer's model calls or the agents' model use. Each has a daily cap of its own ({@link BudgetCap}). */
public enum SpendKind {
    models("costUsd", "model"),
    agents("agentCostUsd", "agent");

    private final String dayField;
    private final String noun;

    SpendKind(String dayField, String noun) {
        this.dayField = dayField;
        this.noun = noun;
    }

    /** The field of the day's {@code modelSpend} document that sums this kind. */
    public String dayField() {
        return dayField;
    }

    String noun() {
        return noun;
    }
}
