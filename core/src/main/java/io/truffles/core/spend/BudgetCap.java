package io.truffles.core.spend;

import io.truffles.core.documents.Settings;
import java.util.Optional;

/**
 * A spending cap from the runtime settings: the two daily ones and the monthly one (models and agents together). Its
 * {@link #name()} is the cap's name in budget events ({@code budget.reached:2026-12-07:agents}).
 */
public enum BudgetCap {
    models("dailyModelBudgetUsd", false),
    agents("dailyAgentBudgetUsd", false),
    monthly("monthlyBudgetUsd", true);

    private final String setting;
    private final boolean monthlyPeriod;

    BudgetCap(String setting, boolean monthlyPeriod) {
        this.setting = setting;
        this.monthlyPeriod = monthlyPeriod;
    }

    public String setting() {
        return setting;
    }

    public boolean monthlyPeriod() {
        return monthlyPeriod;
    }

    /** The limit in dollars; empty where the setting is unset (no cap). */
    public Optional<Double> limit(Settings settings) {
        Double limit = switch (this) {
            case models -> settings.dailyModelBudgetUsd;
            case agents -> settings.dailyAgentBudgetUsd;
            case monthly -> settings.monthlyBudgetUsd;
        };
        return Optional.ofNullable(limit);
    }

    /** The daily cap on one kind of spend. */
    public static BudgetCap dailyOf(SpendKind kind) {
        return kind == SpendKind.models ? models : agents;
    }
}
