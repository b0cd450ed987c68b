package nnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import nnlab.math.Matrix;
import org.junit.jupiter.api.Test;

class MosaicCaptionTest {
    @Test
    void captionsGoUnderTheirTilesWhichStayWhereTheyWere() {
        Matrix tiles = new Matrix(3, 4);
        tiles.set(0, 0, 1);   // tile 0: top-left pixel lit
        tiles.set(2, 3, 1);   // tile 2: bottom-right pixel lit
        int scale = 10;
        BufferedImage plain = Plots.mosaic(tiles, 2, 2, 3, false, scale);
        BufferedImage captioned = Plots.mosaic(tiles, 2, 2, 3, scale, List.of("0", "1", "7 → 2"));
        assertEquals(plain.getWidth(), captioned.getWidth());
        assertTrue(captioned.getHeight() > plain.getHeight(), "room for the captions");
        assertEquals(255, captioned.getRGB(1 + 5, 1 + 5) & 255);
        assertEquals(255, captioned.getRGB(1 + 2 * 21 + 15, 1 + 15) & 255);
        int lit = 0;   // white caption text below the tiles
        for (int x = 0; x < captioned.getWidth(); x++) {
            for (int y = plain.getHeight(); y < captioned.getHeight(); y++) {
                lit += (captioned.getRGB(x, y) & 255) > 200 ? 1 : 0;
            }
        }
        assertTrue(lit > 10, "caption pixels: " + lit);
        assertThrows(IllegalArgumentException.class, () -> Plots.mosaic(tiles, 2, 2, 3, scale, List.of("0")));
    }
}
