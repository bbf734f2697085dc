package io.truffles.poller.posthog;

/** One entry of a recording's snapshot sources: {@code blob_v2} with a block index, or {@code blob_v2_lts} with a path. */
public record SnapshotSource(String source, String blobKey) {
    public static final String BLOB_V2 = "blob_v2";
    public static final String BLOB_V2_LTS = "blob_v2_lts";
}
