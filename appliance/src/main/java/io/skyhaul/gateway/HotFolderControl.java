package io.skyhaul.gateway;

import io.skyhaul.config.HotFolderConfig;

/** What the manager's {@code hot-folder.set} and {@code hot-folder.remove} commands change. */
interface HotFolderControl {
    /** Adds or replaces a hot folder; IllegalArgumentException with the reason when it cannot be watched. */
    void set(HotFolderConfig folder, String origin);

    /** Stops watching it; false when there was none of that name. */
    boolean remove(String name);
}
