package io.truffles.core.spend;

/** Who spent: the analyzer's model calls or the agents' model use. Each has a daily cap of its own. */
public enum SpendKind {
    models("costUsd", "dailyModelBudgetUsd", "model"),
    agents("agentCostUsd", "dailyAgentBudgetUsd", "agent");

    private final String dayField;
    private final String dailyCapSetting;
    private final String noun;

    SpendKind(String dayField, String dailyCapSetting, String noun) {
        this.dayField = dayField;
        this.dailyCapSetting = dailyCapSetting;
        this.noun = noun;
    }

    /** The field of the day's {@code modelSpend} document that sums this kind. */
    public String dayField() {
        return dayField;
    }

    /** The runtime setting that caps this kind per UTC day. */
    public String dailyCapSetting() {
        return dailyCapSetting;
    }

    String noun() {
        return noun;
    }
}
