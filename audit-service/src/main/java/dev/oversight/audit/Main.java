package dev.oversight.audit;

import dev.oversight.audit.verify.OfflineVerifier;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/** Runs the service, or, with {@code verify ...}, the offline verifier (no database, no server). */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && "verify".equals(args[0])) {
            System.exit(OfflineVerifier.run(Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        Quarkus.run(args);
    }
}
