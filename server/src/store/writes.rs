//! One writer at a time on SQLite, queued in the server, and committed in groups.
//!
//! SQLite lets one transaction write at a time, and with `synchronous = FULL` every commit waits
//! for the disk (an fsync: about a millisecond on a quiet SSD, many on a busy one). Two things
//! follow. Writers queue here, in arrival order, rather than in SQLite's busy handler, which
//! sleeps 1, 2, 5, 10… ms before it looks again. And the writers that queued while one wrote
//! share its commit: each writer's work is a savepoint inside one open transaction, and a
//! flusher commits that transaction once the writers already queued had their turn. Nobody is
//! answered before the commit that holds their work reached the disk (`commit` waits for it),
//! so an acknowledged write is as durable as before, and a burst of N submissions costs one
//! fsync instead of N. If the group's commit fails, every writer in it gets the error.
//!
//! A device's batch (`/api/sync/push`) may [`defer`] the wait: its items join groups without
//! waiting, and the batch waits once, before it answers, for every commit its items joined.
//!
//! The small writes outside an application's transaction (a session's last use, a login attempt,
//! an SMS code, the job's clean-up) take their turn too, through [`WriteGate::autocommit`]: a
//! writer that did not would wait in SQLite's busy handler, which looks again only every few
//! milliseconds, for a lock the groups leave free for microseconds, and starve.
//!
//! PostgreSQL locks rows, not the database, and commits concurrently: there each writer has a
//! plain transaction of its own, and an autocommit write commits each statement by itself. The
//! administrators' rare writes (accounts, the calendar, a graduate register) begin on the pool
//! and rely on SQLite's busy handler.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex as SyncMutex};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use tokio::sync::{oneshot, Mutex, Notify, OwnedMutexGuard};

/// Where write transactions begin; cheap to clone.
#[derive(Clone, Default)]
pub struct WriteGate(Option<Arc<Group>>);

/// The open group of writers on SQLite.
struct Group {
    turn: Arc<Mutex<Open>>,
    flush: Notify,
}

/// What the writer holding the turn may use.
#[derive(Default)]
struct Open {
    /// The group's transaction, begun by its first writer and committed by the flusher.
    tx: Option<Transaction<'static, Any>>,
    /// The writers whose work is in `tx`, each waiting for its commit.
    waiting: Vec<oneshot::Sender<Result<(), String>>>,
    /// The last writer left without committing: its savepoint is undone before anything else.
    abandoned: bool,
    /// The savepoint still open is a finished writer's: the next writer releases it in the
    /// same round trip as it opens its own (or the group's commit does), so a writer's turn
    /// costs one statement fewer.
    finished: bool,
}

const SAVEPOINT: &str = "SAVEPOINT writer";
const RELEASE_AND_SAVEPOINT: &str = "RELEASE SAVEPOINT writer; SAVEPOINT writer";
const UNDO: &str = "ROLLBACK TO SAVEPOINT writer; RELEASE SAVEPOINT writer";

impl WriteGate {
    /// A gate that groups writers (SQLite), or lets each write on its own (PostgreSQL). On SQLite
    /// it starts the flusher, so it must be made inside the Tokio runtime.
    pub fn new(one_at_a_time: bool) -> Self {
        Self(one_at_a_time.then(|| {
            let group = Arc::new(Group { turn: Arc::new(Mutex::new(Open::default())), flush: Notify::new() });
            tokio::spawn(flusher(group.clone()));
            group
        }))
    }

    /// Begins a transaction that will write, after the previous writer finished. Never nest:
    /// a second `begin` while one is open in the same task waits for itself.
    pub async fn begin(&self, pool: &AnyPool) -> Result<WriteTx, sqlx::Error> {
        let Some(group) = &self.0 else {
            return Ok(WriteTx(Writer::Own(Some(pool.begin().await?))));
        };
        let mut open = group.turn.clone().lock_owned().await;
        undo_abandoned(&mut open).await;
        if open.tx.is_none() {
            open.tx = Some(pool.begin().await?);
        }
        let savepoint = if std::mem::take(&mut open.finished) { RELEASE_AND_SAVEPOINT } else { SAVEPOINT };
        if let Err(e) = run(open.tx.as_mut().expect("begun above"), savepoint).await {
            fail_group(&mut open, &e.to_string()).await;
            return Err(e);
        }
        Ok(WriteTx(Writer::Grouped { open: Some(open), group: group.clone() }))
    }
}

/// A few statements written outside an application's transaction: on SQLite in their turn (see
/// the module), on PostgreSQL each committed by itself as on the pool. [`Autocommit::finish`]
/// keeps them; dropped without it, on SQLite they are undone.
pub struct Autocommit(Single);

enum Single {
    Own(PoolConnection<Any>),
    Turn(WriteTx),
}

impl WriteGate {
    /// Where a write outside an application's transaction runs. Never while this task holds a
    /// [`WriteTx`]: it would wait for itself.
    pub async fn autocommit(&self, pool: &AnyPool) -> Result<Autocommit, sqlx::Error> {
        Ok(Autocommit(match &self.0 {
            Some(_) => Single::Turn(self.begin(pool).await?),
            None => Single::Own(pool.acquire().await?),
        }))
    }
}

impl Autocommit {
    /// The connection to run the statements on.
    pub fn conn(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            Single::Own(conn) => conn,
            Single::Turn(tx) => tx,
        }
    }

    /// Keeps what was written (on SQLite, once it is on disk).
    pub async fn finish(self) -> Result<(), sqlx::Error> {
        match self.0 {
            Single::Own(_) => Ok(()),
            Single::Turn(tx) => tx.commit().await,
        }
    }
}

/// A write transaction holding its turn until it commits or is dropped (rolled back).
pub struct WriteTx(Writer);

enum Writer {
    /// PostgreSQL: a transaction of its own.
    Own(Option<Transaction<'static, Any>>),
    /// SQLite: a savepoint in the group's transaction, with the turn.
    Grouped { open: Option<OwnedMutexGuard<Open>>, group: Arc<Group> },
}

impl WriteTx {
    /// Commits, then passes the turn on; returns once the work is on disk (inside [`defer`],
    /// the batch waits for it instead).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let Some((done, group)) = self.joined().await? else { return Ok(()) };
        if let Ok(batch) = DEFERRED.try_with(Arc::clone) {
            batch.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(done);
            return Ok(());
        }
        group.flush.notify_one();
        durable(done).await
    }

    /// Ends this writer's part and passes the turn on; on SQLite, returns what the group's
    /// commit will answer.
    async fn joined(mut self) -> Result<Option<(Commit, Arc<Group>)>, sqlx::Error> {
        let (mut open, group) = match &mut self.0 {
            Writer::Grouped { open, group } => (open.take().expect("a writer holds its turn until it ends"), group.clone()),
            Writer::Own(tx) => {
                tx.take().expect("a writer holds its transaction until it ends").commit().await?;
                return Ok(None);
            }
        };
        open.finished = true;
        let (sender, receiver) = oneshot::channel();
        open.waiting.push(sender);
        Ok(Some((receiver, group)))
    }
}

/// What a group's commit answers its writers.
type Commit = oneshot::Receiver<Result<(), String>>;

impl Drop for WriteTx {
    fn drop(&mut self) {
        if let Writer::Grouped { open, group } = &mut self.0 {
            if let Some(mut open) = open.take() {
                open.abandoned = true;
                group.flush.notify_one();
            }
        }
    }
}

impl Deref for WriteTx {
    type Target = Transaction<'static, Any>;

    fn deref(&self) -> &Self::Target {
        match &self.0 {
            Writer::Own(tx) => tx.as_ref().expect("a writer holds its transaction until it ends"),
            Writer::Grouped { open, .. } => open.as_ref().and_then(|o| o.tx.as_ref()).expect("a turn holds the group's transaction"),
        }
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match &mut self.0 {
            Writer::Own(tx) => tx.as_mut().expect("a writer holds its transaction until it ends"),
            Writer::Grouped { open, .. } => open.as_mut().and_then(|o| o.tx.as_mut()).expect("a turn holds the group's transaction"),
        }
    }
}

/// Runs one of this module's fixed statements (some are two, sent in one round trip: SQLite
/// runs a string of statements in order).
async fn run(tx: &mut Transaction<'static, Any>, sql: &'static str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(&mut **tx).await.map(|_| ())
}

async fn durable(done: Commit) -> Result<(), sqlx::Error> {
    match done.await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(sqlx::Error::Io(std::io::Error::other(e))),
        Err(_) => Err(sqlx::Error::Io(std::io::Error::other("the group's commit was abandoned"))),
    }
}

/// Commits the open group once every writer queued before this call had its turn.
async fn flusher(group: Arc<Group>) {
    loop {
        group.flush.notified().await;
        let mut open = group.turn.lock().await;
        undo_abandoned(&mut open).await;
        let Some(tx) = open.tx.take() else { continue };
        // Committing releases the last writer's savepoint too.
        open.finished = false;
        let result = tx.commit().await.map_err(|e| e.to_string());
        if let Err(e) = &result {
            tracing::error!(error = %e, writers = open.waiting.len(), "a group commit failed");
        }
        for writer in open.waiting.drain(..) {
            let _ = writer.send(result.clone());
        }
    }
}

/// Undoes the savepoint of a writer that left without committing; if even that fails, the
/// whole group is rolled back and its writers told. The mark is cleared only once undone, so a
/// task cancelled halfway leaves it for the next one.
async fn undo_abandoned(open: &mut Open) {
    if !open.abandoned {
        return;
    }
    let Some(tx) = open.tx.as_mut() else {
        open.abandoned = false;
        return;
    };
    match run(tx, UNDO).await {
        Ok(()) => open.abandoned = false,
        Err(e) => fail_group(open, &e.to_string()).await,
    }
}

/// Rolls the group back and tells its writers; the next writer begins a new one.
async fn fail_group(open: &mut Open, error: &str) {
    tracing::error!(%error, writers = open.waiting.len(), "a group of writes is rolled back");
    open.abandoned = false;
    open.finished = false;
    if let Some(tx) = open.tx.take() {
        let _ = tx.rollback().await;
    }
    for writer in open.waiting.drain(..) {
        let _ = writer.send(Err(error.to_string()));
    }
}

tokio::task_local! {
    /// The commits a device batch's writers joined without waiting for them.
    static DEFERRED: Arc<SyncMutex<Vec<Commit>>>;
}

/// Runs `work` (a device batch's items) with its writers not waiting for their commits one by
/// one: on SQLite consecutive items then share a commit. Returns `work`'s output once every
/// commit it joined is on disk, or the error of the first that failed (the device sends the
/// batch again; its items' keys make that safe). Work that reads what an earlier item wrote
/// through another connection must not run inside: the group is not committed yet.
pub async fn defer<T>(gate: &WriteGate, work: impl Future<Output = T>) -> Result<T, sqlx::Error> {
    let Some(group) = &gate.0 else { return Ok(work.await) };
    let batch = Arc::new(SyncMutex::new(Vec::new()));
    let output = DEFERRED.scope(batch.clone(), work).await;
    let joined = std::mem::take(&mut *batch.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    if !joined.is_empty() {
        group.flush.notify_one();
    }
    for done in joined {
        durable(done).await?;
    }
    Ok(output)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sqlx::AnyPool;

    use super::{defer, WriteGate};

    async fn sqlite_file(name: &str) -> AnyPool {
        sqlx::any::install_default_drivers();
        let path = std::env::temp_dir().join(format!("telnuska-writes-{name}-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(4).connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER PRIMARY KEY)").execute(&pool).await.unwrap();
        pool
    }

    async fn stored(pool: &AnyPool) -> Vec<i64> {
        sqlx::query_scalar("SELECT n FROM t ORDER BY n").fetch_all(pool).await.unwrap()
    }

    #[tokio::test]
    async fn writers_take_turns_on_sqlite_and_not_on_postgres() {
        let pool = sqlite_file("turns").await;
        let gate = WriteGate::new(true);
        let first = gate.begin(&pool).await.unwrap();
        let waiting = tokio::time::timeout(Duration::from_millis(50), gate.begin(&pool)).await;
        assert!(waiting.is_err(), "a second writer waits for the first");
        first.commit().await.unwrap();
        let second = tokio::time::timeout(Duration::from_secs(5), gate.begin(&pool)).await;
        assert!(matches!(second, Ok(Ok(_))), "and goes on once it committed");
        drop(second);
        let open = WriteGate::new(false);
        let _a = open.begin(&pool).await.unwrap();
        let b = tokio::time::timeout(Duration::from_secs(5), open.begin(&pool)).await;
        assert!(matches!(b, Ok(Ok(_))), "PostgreSQL's gate is open");
    }

    #[tokio::test]
    async fn a_committed_writer_is_on_disk_when_answered_and_an_abandoned_one_leaves_nothing() {
        let pool = sqlite_file("group").await;
        let gate = WriteGate::new(true);
        let writers: Vec<_> = (1..=20)
            .map(|n| {
                let (gate, pool) = (gate.clone(), pool.clone());
                tokio::spawn(async move {
                    let mut tx = gate.begin(&pool).await.unwrap();
                    sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(&mut **tx).await.unwrap();
                    if n % 5 == 0 {
                        return; // left without committing: rolled back
                    }
                    tx.commit().await.unwrap();
                    // Answered: another connection sees it.
                    let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t WHERE n = $1").bind(n).fetch_one(&pool).await.unwrap();
                    assert_eq!(seen, 1, "writer {n} is committed once answered");
                })
            })
            .collect();
        for w in writers {
            w.await.unwrap();
        }
        let expected: Vec<i64> = (1..=20).filter(|n| n % 5 != 0).collect();
        assert_eq!(stored(&pool).await, expected);
        // A writer whose statement failed and who left keeps the others' work.
        let mut tx = gate.begin(&pool).await.unwrap();
        assert!(sqlx::query("INSERT INTO t (n) VALUES (1)").execute(&mut **tx).await.is_err());
        drop(tx);
        let mut tx = gate.begin(&pool).await.unwrap();
        sqlx::query("INSERT INTO t (n) VALUES (100)").execute(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(stored(&pool).await.len(), expected.len() + 1);
    }

    #[tokio::test]
    async fn a_deferred_batch_answers_once_all_its_writes_are_on_disk() {
        let pool = sqlite_file("defer").await;
        let gate = WriteGate::new(true);
        let written = defer(&gate, async {
            for n in 1..=10 {
                let mut tx = gate.begin(&pool).await.unwrap();
                sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(&mut **tx).await.unwrap();
                tx.commit().await.unwrap();
            }
            10
        })
        .await
        .unwrap();
        assert_eq!(written, 10);
        assert_eq!(stored(&pool).await, (1..=10).collect::<Vec<i64>>(), "on disk when the batch is answered");
    }
}
