package dev.oversight.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The C2SP tlog-tiles addressing and entry bundles, against the specification's own examples. */
class TilesPathTest {

    @Test
    void indexesAreSpelledInGroupsOfThree_asTheSpecificationsExample() {
        assertThat(Tiles.encodeIndex(1234067)).isEqualTo("x001/x234/067");
        assertThat(Tiles.encodeIndex(0)).isEqualTo("000");
        assertThat(Tiles.encodeIndex(999)).isEqualTo("999");
        assertThat(Tiles.encodeIndex(1000)).isEqualTo("x001/000");
        assertThat(Tiles.encodeIndex(Long.MAX_VALUE)).isEqualTo("x009/x223/x372/x036/x854/x775/807");
        for (long n : new long[] {0, 7, 256, 1000, 65_535, 1234067, Long.MAX_VALUE}) {
            assertThat(Tiles.parse("3/" + Tiles.encodeIndex(n))).contains(new Tiles.Tile(false, 3, n, 256));
        }
    }

    @Test
    void pathsParse_inTheOneSpellingOnly() {
        assertThat(Tiles.parse("0/x001/x234/067.p/112")).contains(new Tiles.Tile(false, 0, 1234067, 112));
        assertThat(Tiles.parse("entries/005")).contains(new Tiles.Tile(true, 0, 5, 256));
        assertThat(Tiles.parse("63/000.p/1")).contains(new Tiles.Tile(false, 63, 0, 1));
        assertThat(Tiles.parse("1/000.p/255").orElseThrow().path()).isEqualTo("1/000.p/255");
        for (String bad : List.of("", "0", "0/5", "00/005", "64/000", "0/x000/005", "0/005.p/0", "0/005.p/256",
                "0/005.p/07", "0/005.p", "entries/1/005", "0/x9/005", "0/005/", "-1/000", "0/x010/x000/x000/x000/x000"
                        + "/x000/x000/000", "0/x009/x223/x372/x036/x854/x775/808", "0/٠٠٠")) {
            assertThat(Tiles.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void aTileNeedsTheTreeThatHoldsItsLastHash() {
        // The specification's example: a tree of 70,000 has 273 full level-0 tiles, a level-0 tile of width 112, one
        // full level-1 tile, a level-1 tile of width 17 and a level-2 tile of width 1.
        assertThat(new Tiles.Tile(false, 0, 272, 256).minTreeSize()).isLessThanOrEqualTo(70_000);
        assertThat(new Tiles.Tile(false, 0, 273, 112).minTreeSize()).isEqualTo(70_000);
        assertThat(new Tiles.Tile(false, 0, 273, 113).minTreeSize()).isGreaterThan(70_000);
        assertThat(new Tiles.Tile(false, 1, 0, 256).minTreeSize()).isEqualTo(65_536);
        assertThat(new Tiles.Tile(false, 1, 1, 17).minTreeSize()).isLessThanOrEqualTo(70_000);
        assertThat(new Tiles.Tile(false, 1, 1, 18).minTreeSize()).isGreaterThan(70_000);
        assertThat(new Tiles.Tile(false, 2, 0, 1).minTreeSize()).isEqualTo(65_536);
        assertThat(new Tiles.Tile(false, 2, 0, 2).minTreeSize()).isGreaterThan(70_000);
        assertThat(new Tiles.Tile(false, 63, 0, 1).minTreeSize()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Tiles.Tile(false, 0, Long.MAX_VALUE / 256, 256).minTreeSize()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Tiles.Tile(false, 2, 3, 9).treeLevel()).isEqualTo(16);
    }

    @Test
    void entryBundlesPrefixEachEntryWithItsLength() {
        assertThat(HexFormat.of().formatHex(Tiles.bundle(List.of("ab", "", "é")))).isEqualTo("00026162" + "0000" + "0002c3a9");
        assertThat(Tiles.bundle(List.of("x".repeat(0xFFFF)))).hasSize(0xFFFF + 2).startsWith((byte) 0xFF, (byte) 0xFF);
        assertThatThrownBy(() -> Tiles.bundle(List.of("x".repeat(0x10000)))).isInstanceOf(IllegalArgumentException.class);
    }
}
