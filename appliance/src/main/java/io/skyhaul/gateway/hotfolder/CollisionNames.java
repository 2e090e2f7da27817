package io.skyhaul.gateway.hotfolder;

/**
 * Rule: "a move never overwrites: the n-th file of a name is {@code stem (n).ext}". The extension
 * is what follows the last '.', unless that dot starts the name: {@code reel.mov} →
 * {@code reel (2).mov}, {@code take.tar.gz} → {@code take.tar (2).gz}, {@code README} →
 * {@code README (2)}, {@code .env} → {@code .env (2)}.
 */
final class CollisionNames {
    private CollisionNames() {
    }

    /** The name to try at attempt {@code n} (1 is the name itself). */
    static String candidate(String name, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, got " + n);
        }
        if (n == 1) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return name + " (" + n + ")";
        }
        return name.substring(0, dot) + " (" + n + ")" + name.substring(dot);
    }
}
