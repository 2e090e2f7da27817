package io.skyhaul.gateway.hotfolder;

import java.util.List;

/**
 * What changed in a hot folder since the previous snapshot, as the {@link SettleTracker} sees it.
 * Files already reported ready and unchanged since appear in none of the lists.
 *
 * @param ready files that became complete with this snapshot, in path order
 * @param settling files seen but not complete yet, in path order
 * @param disappeared paths tracked before and absent now (never reported from a truncated
 *     snapshot); a sent file moved away by {@link FileDisposal} shows up here too
 */
public record SettleReport(List<ReadyFile> ready, List<SettlingFile> settling, List<String> disappeared) {
    public SettleReport {
        ready = List.copyOf(ready);
        settling = List.copyOf(settling);
        disappeared = List.copyOf(disappeared);
    }
}
