package io.skyhaul.gateway.hotfolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Rule: includes minus excludes, never a hidden, partial, system or internal file. */
class FilePatternsTest {
    private static final Set<String> INTERNAL = Set.of(".skyhaul-done", ".skyhaul-error", "_outbox/sent");

    @ParameterizedTest(name = "include [{0}] exclude [{1}]: {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // no include: everything
        "-                 | -              | clip.mov                 | true",
        "-                 | -              | a/b/c/clip.mov           | true",
        // a name pattern matches at any depth, case-sensitively
        "*.mov             | -              | clip.mov                 | true",
        "*.mov             | -              | a/b/clip.mov             | true",
        "*.mov             | -              | clip.mxf                 | false",
        "*.mov             | -              | CLIP.MOV                 | false",
        "*.{mov,MOV,mxf}   | -              | deep/er/CLIP.MOV         | true",
        "reel-??.mov       | -              | x/reel-01.mov            | true",
        "reel-??.mov       | -              | x/reel-001.mov           | false",
        // a pattern with '/' is anchored; ** crosses directories
        "dailies/**        | -              | dailies/clip.mov         | true",
        "dailies/**        | -              | dailies/day1/cam/a.mov   | true",
        "dailies/**        | -              | other/dailies/a.mov      | false",
        "dailies/**        | -              | dailies                  | false",
        "dailies/*.mov     | -              | dailies/day1/a.mov       | false",
        "/*.mov            | -              | clip.mov                 | true",
        "/*.mov            | -              | a/clip.mov               | false",
        "**/*.mov          | -              | clip.mov                 | true",
        "**/*.mov          | -              | a/b/clip.mov             | true",
        // a pattern matching a directory takes its subtree
        "dailies           | -              | x/dailies/day1/a.wav     | true",
        "-                 | proxies        | proxies/a.mov            | false",
        "-                 | proxies        | a/proxies/b/c.mov        | false",
        "-                 | proxies        | proxies.mov              | true",
        "-                 | renders/tmp    | renders/tmp/a.exr        | false",
        "-                 | renders/tmp    | renders/tmpx/a.exr       | true",
        "-                 | renders/tmp    | x/renders/tmp/a.exr      | true",
        // a trailing '/' matches directories only
        "-                 | proxies/       | proxies                  | true",
        "-                 | proxies/       | proxies/a.mov            | false",
        // excludes win over includes; several patterns
        "*.mov;*.mxf       | *_proxy.mov    | a/b_proxy.mov            | false",
        "*.mov;*.mxf       | *_proxy.mov    | a/b.mxf                  | true",
        "*.mov;*.mxf       | *_proxy.mov    | a/b.wav                  | false",
        // always excluded: hidden names, at any depth
        "-                 | -              | .clip.mov                | false",
        "-                 | -              | a/.cache/clip.mov        | false",
        "*.mov             | -              | .hidden/clip.mov         | false",
        // always excluded: partial and lock files, ignoring case
        "-                 | -              | clip.mov.part            | false",
        "-                 | -              | a/clip.MOV.PART          | false",
        "-                 | -              | clip.mov.partial         | false",
        "-                 | -              | upload.filepart          | false",
        "-                 | -              | clip.tmp                 | false",
        "-                 | -              | clip.TEMP                | false",
        "-                 | -              | clip.mov.crdownload      | false",
        "-                 | -              | clip.mov.download        | false",
        "-                 | -              | ~$script.docx            | false",
        "-                 | -              | notes.txt~               | false",
        "*                 | -              | clip.part                | false",
        // always excluded: system names, ignoring case
        "-                 | -              | .DS_Store                | false",
        "-                 | -              | shots/Thumbs.db          | false",
        "-                 | -              | shots/THUMBS.DB          | false",
        "-                 | -              | desktop.ini              | false",
        "-                 | -              | $RECYCLE.BIN/clip.mov    | false",
        "-                 | -              | @eaDir/clip.mov/thumb    | false",
        "-                 | -              | lost+found/clip.mov      | false",
        // always excluded: internal directories, anchored at the root
        "-                 | -              | .skyhaul-done/clip.mov   | false",
        "-                 | -              | _outbox/sent/a/clip.mov  | false",
        "-                 | -              | _outbox/sentinel.mov     | true",
        "-                 | -              | _outbox/clip.mov         | true",
        "-                 | -              | x/_outbox/sent/clip.mov  | true",
        // names that merely contain a partial suffix are fine
        "-                 | -              | partner.mov              | true",
        "-                 | -              | tmp/clip.mov             | true",
    })
    void decidesLikeTheTable(String includes, String excludes, String path, boolean accepted) {
        FilePatterns patterns = new FilePatterns(list(includes), list(excludes), INTERNAL);
        assertEquals(accepted, patterns.accepts(path), () -> path + ": " + patterns.exclusionReason(path));
    }

    @Test
    void theReasonSaysWhichRuleExcludedAFile() {
        FilePatterns patterns = new FilePatterns(List.of("*.mov"), List.of("proxies"), INTERNAL);
        assertEquals(Optional.empty(), patterns.exclusionReason("a/clip.mov"));
        assertEquals(Optional.of("matches no include pattern"), patterns.exclusionReason("a/clip.wav"));
        assertEquals(Optional.of("matches exclude pattern 'proxies'"), patterns.exclusionReason("proxies/clip.mov"));
        assertEquals(Optional.of("'.cache' is hidden"), patterns.exclusionReason("a/.cache/clip.mov"));
        assertEquals(Optional.of("'clip.mov.part' is the name of a partial or lock file"), patterns.exclusionReason("clip.mov.part"));
        assertEquals(Optional.of("'Thumbs.db' is a system file or directory"), patterns.exclusionReason("Thumbs.db"));
        assertEquals(Optional.of("inside the gateway's internal directory '_outbox/sent'"), patterns.exclusionReason("_outbox/sent/x.mov"));
    }

    @Test
    void directoriesArePrunedOnlyWhenNothingInsideCouldBeAccepted() {
        FilePatterns patterns = new FilePatterns(List.of("*.mov"), List.of("proxies/", "renders/tmp"), INTERNAL);
        assertFalse(patterns.excludesDirectory("footage"), "includes never prune: a directory may hold matching files");
        assertFalse(patterns.excludesDirectory("renders"));
        assertTrue(patterns.excludesDirectory("renders/tmp"));
        assertTrue(patterns.excludesDirectory("a/proxies"));
        assertTrue(patterns.excludesDirectory(".git"));
        assertTrue(patterns.excludesDirectory(".skyhaul-done"));
        assertTrue(patterns.excludesDirectory("_outbox/sent"));
        assertTrue(patterns.excludesDirectory("$RECYCLE.BIN"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[abc", "clip.{mov,mxf", "{a,{b,c}}", "clip\\"})
    void anInvalidGlobIsRefusedWithThePatternAndWhy(String glob) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FilePatterns(List.of("*.mov"), List.of(glob), INTERNAL));
        assertTrue(e.getMessage().contains("exclude pattern #1 '" + glob + "' is not a valid glob: "), e.getMessage());
    }

    @Test
    void emptyPatternsAndBadPathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FilePatterns(List.of(" "), List.of(), INTERNAL));
        assertEquals("include pattern #2 '/' names no file or directory",
                assertThrows(IllegalArgumentException.class, () -> new FilePatterns(List.of("*.mov", "/"), List.of(), INTERNAL)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FilePatterns.everything(Set.of("../done")));
        assertThrows(IllegalArgumentException.class, () -> FilePatterns.everything(Set.of("/abs/done")));
        FilePatterns patterns = FilePatterns.everything(INTERNAL);
        for (String bad : List.of("", "/clip.mov", "a//b", "a/../b", "./a")) {
            assertThrows(IllegalArgumentException.class, () -> patterns.accepts(bad), bad);
        }
    }

    private static List<String> list(String semicolonSeparated) {
        return semicolonSeparated == null ? List.of() : Arrays.stream(semicolonSeparated.split(";")).map(String::strip).toList();
    }
}
