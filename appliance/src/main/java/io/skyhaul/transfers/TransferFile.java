package io.skyhaul.transfers;

/** One file of a transfer: its path on the client, its object key, its size and, once verified, its SHA-256. */
public record TransferFile(String path, String objectKey, long size, String sha256, String state) {
}
