package io.skyhaul.gateway.hotfolder;

import java.util.Set;

/**
 * A hint from the {@link FolderWatcher} that the hot folder changed: rescan early. It is never
 * the whole truth (a watch misses events, notably on network filesystems), only a reason not to
 * wait for the next periodic scan.
 *
 * @param paths '/'-separated paths, relative to the root, that events named (files or
 *     directories created, modified or deleted); empty when {@code rescanEverything}
 * @param rescanEverything events were lost (the kernel's queue overflowed, or more paths changed
 *     than one signal lists): the paths say nothing, rescan the whole tree
 */
public record FolderChange(Set<String> paths, boolean rescanEverything) {
    public FolderChange {
        paths = Set.copyOf(paths);
    }
}
