/*
 * Starts a local Neo4j Community DBMS (embedded, Bolt only) for caregraph's tests.
 *
 * Run as a single-file source program (no build step), normally through
 * scripts/neo4j-server:
 *
 *   java -Xmx1g -cp 'lib/*' Launcher.java PORT HOME [--pagecache SIZE] [--auth USER PASSWORD_FILE]
 *
 * PORT  Bolt port bound on 127.0.0.1 (unencrypted).
 * HOME  DBMS home directory (data/ and logs/ live below it). One process per home.
 * --pagecache SIZE  page cache size, e.g. 64m (the default) or 1g.
 * --auth USER PASSWORD_FILE  enable authentication and give USER the password held in
 *       PASSWORD_FILE (no change required). The file must be readable by its owner only
 *       (0600); it is read and deleted before the DBMS starts, so the password is never on a
 *       command line (ps, /proc/PID/cmdline, the JVM arguments Neo4j writes to debug.log)
 *       nor left on disk. Without --auth, authentication is disabled.
 *
 * LOAD CSV may not read local files (dbms.security.allow_csv_import_from_file_urls=false):
 * a read-only query must not be able to read the server's files.
 *
 * Prints exactly one line "READY bolt://127.0.0.1:PORT" on stdout once the
 * "neo4j" database is available, then runs until it is terminated; SIGTERM /
 * SIGINT shut the DBMS down cleanly. Exits non-zero if startup fails.
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

public class Launcher {

    private static final String HOST = "127.0.0.1";
    private static final long AVAILABLE_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(3);

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.size() < 2) {
            fail("usage: Launcher PORT HOME [--pagecache SIZE] [--auth USER PASSWORD_FILE]");
        }
        int port = parsePort(rest.remove(0));
        Path home = Path.of(rest.remove(0)).toAbsolutePath();
        long pagecache = ByteUnit.mebiBytes(64);
        String user = null;
        String password = null;
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            if ("--pagecache".equals(option) && !rest.isEmpty()) {
                pagecache = parseSize(rest.remove(0));
            } else if ("--auth".equals(option) && rest.size() >= 2) {
                user = rest.remove(0);
                password = readPassword(Path.of(rest.remove(0)));
                if (user.isEmpty() || password.isEmpty()) {
                    fail("--auth expects a non-empty user and a non-empty password file");
                }
            } else {
                fail("unknown or incomplete option " + option
                        + " (usage: Launcher PORT HOME [--pagecache SIZE] [--auth USER PASSWORD_FILE])");
            }
        }
        boolean auth = user != null;

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.err, Level.INFO))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                // Tests try wrong passwords on purpose; no lock-out of the user they then log in as.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.mebiBytes(128))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Internal settings: without them Bolt shutdown idles ~10 s in Netty quiet periods.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ZERO)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                System.err.println("Launcher: error during shutdown: " + t);
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            for (String name : new String[] {GraphDatabaseSettings.SYSTEM_DATABASE_NAME,
                                             GraphDatabaseSettings.DEFAULT_DATABASE_NAME}) {
                if (!dbms.database(name).isAvailable(AVAILABLE_TIMEOUT_MS)) {
                    fail("database '" + name + "' did not become available within "
                            + AVAILABLE_TIMEOUT_MS / 1000 + " s");
                }
            }
            if (auth) {
                setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), user, password);
            }
        } catch (Throwable t) {
            t.printStackTrace();
            fail("startup failed: " + t);
        }

        System.out.println("READY bolt://" + HOST + ":" + port);
        System.out.flush();
        stopped.await();
    }

    /** Give USER the password (creating USER unless it is the built-in neo4j user). */
    private static void setPassword(GraphDatabaseService system, String user, String password) {
        String quoted = "`" + user.replace("`", "``") + "`";
        String cypher = "neo4j".equals(user)
                ? "ALTER USER " + quoted + " SET PASSWORD $pw CHANGE NOT REQUIRED"
                : "CREATE OR REPLACE USER " + quoted + " SET PASSWORD $pw CHANGE NOT REQUIRED";
        system.executeTransactionally(cypher, Map.of("pw", password));
    }

    /** Read the password from FILE (owner-only permissions), then delete the file. */
    private static String readPassword(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            permissions.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            if (!permissions.isEmpty()) {
                Files.deleteIfExists(file);
                fail("the password file " + file + " must be readable by its owner only (chmod 600)");
            }
            String password = Files.readString(file, StandardCharsets.UTF_8);
            Files.delete(file);
            return password;
        } catch (IOException e) {
            fail("cannot read the password file " + file + ": " + e.getMessage());
            return null; // unreachable
        }
    }

    private static long parseSize(String text) {
        try {
            return ByteUnit.parse(text);
        } catch (IllegalArgumentException e) {
            fail("invalid size for --pagecache: " + text + " (e.g. 64m, 1g)");
            return -1; // unreachable
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        fail("invalid port: " + text);
        return -1; // unreachable
    }

    private static void fail(String message) {
        System.err.println("Launcher: " + message);
        System.err.flush();
        System.exit(1); // runs the shutdown hook (if registered), which shuts the DBMS down
    }
}
