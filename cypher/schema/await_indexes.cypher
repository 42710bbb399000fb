// Wait until every index is online (after the constraints and indexes are created).
// $seconds: how long to wait before failing
CALL db.awaitIndexes($seconds)
