package io.skyhaul.transfers;

import java.util.List;

/**
 * One transfer with its files and live progress. {@code session} is present only in the answer
 * to the client that created the transfer (it holds the session key).
 *
 * @param rateMbps the current rate of the storage phase or, once done, the end-to-end goodput
 * @param etaSeconds estimated seconds left, when known
 */
public record TransferDetail(TransferRecord transfer, List<TransferFile> files, Double rateMbps, Double etaSeconds, SessionGrant session) {
}
