package dev.oversight.audit;

import dev.oversight.audit.verify.OfflineVerifier;
import dev.oversight.audit.witness.WitnessServer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * Runs the service; with {@code verify ...}, the offline verifier (no database, no server); with {@code witness ...},
 * a C2SP tlog-witness for this log (no database).
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && "verify".equals(args[0])) {
            System.exit(OfflineVerifier.run(Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        if (args.length > 0 && "witness".equals(args[0])) {
            int status = WitnessServer.run(Arrays.copyOfRange(args, 1, args.length), System.out);
            if (status >= 0) {
                System.exit(status);
            }
            return;
        }
        Quarkus.run(args);
    }
}
