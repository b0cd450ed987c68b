package nnlab.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** -Dnnlab.noVector really switches the Vector API path off (./nnlab test runs the unit tests once that way). */
class VectorSupportTest {
    @Test
    void theNoVectorPropertySwitchesTheVectorKernelsOff() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (Boolean.getBoolean("nnlab.noVector")) {
            assertFalse(VectorSupport.AVAILABLE, "nnlab.noVector is set but the vector kernels are on");
        } else {
            assertEquals(module, VectorSupport.AVAILABLE, "the vector kernels are on exactly when the module is");
        }
        System.out.println("vector kernels " + (VectorSupport.AVAILABLE ? "on" : "off"));
    }
}
