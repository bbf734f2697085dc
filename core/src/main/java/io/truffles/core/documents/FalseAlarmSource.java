package io.truffles.core.documents;

public enum FalseAlarmSource {
    agent, manual
}
