package io.truffles.core.documents;

public enum AnalysisSource {
    video, session_data, both
}
