/*
 * Starts a local Neo4j Community DBMS (embedded, Bolt only) for caregraph's tests.
 *
 * Run as a single-file source program (no build step), normally through
 * scripts/neo4j-server:
 *
 *   java -Xmx1g -cp 'lib/*' Launcher.java PORT HOME [--auth USER:PASSWORD]
 *
 * PORT  Bolt port bound on 127.0.0.1 (unencrypted).
 * HOME  DBMS home directory (data/ and logs/ live below it). One process per home.
 * --auth USER:PASSWORD  enable authentication and give USER that password
 *       (no change required). Without it, authentication is disabled.
 *
 * Prints exactly one line "READY bolt://127.0.0.1:PORT" on stdout once the
 * "neo4j" database is available, then runs until it is terminated; SIGTERM /
 * SIGINT shut the DBMS down cleanly. Exits non-zero if startup fails.
 */

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
        if (args.length != 2 && !(args.length == 4 && "--auth".equals(args[2]))) {
            fail("usage: Launcher PORT HOME [--auth USER:PASSWORD]");
        }
        int port = parsePort(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        String user = null;
        String password = null;
        if (args.length == 4) {
            int colon = args[3].indexOf(':');
            if (colon <= 0 || colon == args[3].length() - 1) {
                fail("--auth expects USER:PASSWORD with a non-empty user and password");
            }
            user = args[3].substring(0, colon);
            password = args[3].substring(colon + 1);
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
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
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
