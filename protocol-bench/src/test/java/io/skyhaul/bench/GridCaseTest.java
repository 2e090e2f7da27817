package io.skyhaul.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GridCaseTest {
    @Test
    void parsesCasesAndTheFullGrid() {
        assertEquals(List.of(new GridCase(200, 5), new GridCase(0, 0.5)), GridCase.parseList("200ms/5%, 0ms/0.5%"));
        assertEquals(9, GridCase.parseList("all").size());
        assertEquals("50ms/1%", new GridCase(50, 1).toString());
    }

    @Test
    void halfTheRttGoesEachWayAndCapacityExcludesLoss() {
        GridCase c = GridCase.parse("200ms/5%");
        assertEquals(List.of("--delay", "100ms", "--loss", "5%", "--rate", "200m"), c.linkemFlags());
        assertEquals(190.0, c.lossFreeCapacityMbps(), 1e-9);
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> GridCase.parse("50/1"));
        assertThrows(IllegalArgumentException.class, () -> GridCase.parse("51ms/1%"));
        assertThrows(IllegalArgumentException.class, () -> GridCase.parse("50ms/100%"));
        assertThrows(IllegalArgumentException.class, () -> GridCase.parseList(","));
    }
}
