package io.skyhaul.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reports a leaked buffer after it (the surefire argLine runs the
 * detector on PARANOID, so every buffer is tracked). Registered for every test through
 * META-INF/services with extension autodetection on. Tests that allocated no Netty buffer skip
 * the garbage collection this check needs.
 */
public final class LeakDetectionExtension implements AfterEachCallback {
    static {
        LeakWatch.install();
    }

    private static final int GC_ROUNDS = 3;
    private long trackedAtLastCheck = -1;

    @Override
    public void afterEach(ExtensionContext context) {
        if (LeakWatch.countsTracking() && LeakWatch.tracked() == trackedAtLastCheck) {
            return;
        }
        List<String> leaks = LeakWatch.collect(GC_ROUNDS);
        trackedAtLastCheck = LeakWatch.tracked();
        if (!leaks.isEmpty()) {
            fail("Netty reported " + leaks.size() + " leaked buffer(s) during or before " + context.getDisplayName() + ":\n"
                    + String.join("\n", leaks));
        }
    }
}
