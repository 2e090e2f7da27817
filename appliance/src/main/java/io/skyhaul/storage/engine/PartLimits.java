package io.skyhaul.storage.engine;

/**
 * A backend's rules for the parts of one object.
 *
 * @param minPartSize smallest part but the last
 * @param maxPartSize largest part
 * @param maxParts    most parts in one object
 */
public record PartLimits(String backend, long minPartSize, long maxPartSize, int maxParts) {
    private static final long MIB = 1L << 20;

    /** S3: "5 MiB to 5 GiB per part, the last part excepted from the minimum; at most 10,000 parts". */
    public static final PartLimits S3 = new PartLimits("S3", 5 * MIB, 5L << 30, 10_000);

    /** Azure block blobs: "a block is at most 4,000 MiB; a blob has at most 50,000 committed blocks". */
    public static final PartLimits AZURE = new PartLimits("Azure Blob", 1, 4000 * MIB, 50_000);

    /** The local filesystem: parts are only a unit of parallel writes. */
    public static final PartLimits LOCAL = new PartLimits("local", 1, Integer.MAX_VALUE, Integer.MAX_VALUE);

    public long maxObjectSize() {
        return Math.multiplyHigh(maxPartSize, maxParts) != 0 ? Long.MAX_VALUE : maxPartSize * maxParts;
    }
}
