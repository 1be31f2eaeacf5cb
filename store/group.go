package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// groupCommit runs the frequent small writes of many goroutines at once
// (the bot's lanes storing reviews and forgetting handled updates) in
// shared transactions: one commit for all the writes waiting at the same
// moment, and one writer at a time, so that they neither each pay a commit
// nor queue for SQLite's write lock, whose busy handler sleeps a
// millisecond or more however soon the lock frees.
type groupCommit struct {
	mu      sync.Mutex
	pending []*groupOp
	running bool // a leader is committing batches
}

// groupOp is one write waiting for its batch.
type groupOp struct {
	fn func(ctx context.Context, q queryer) error
	// single says fn is one statement (or statements each whole on its
	// own): alone in its batch, it runs without a transaction around it.
	single bool
	done   chan error
}

// maxGroup bounds a batch, so that one commit does not grow without end
// under a flood.
const maxGroup = 256

// grouped runs fn inside a transaction shared with the other grouped
// writes waiting at the same moment, and returns once that transaction
// committed (fn's writes are durable as with inTx) or failed. fn runs
// under a savepoint of its own: one that fails is rolled back alone and
// gets its error, the others commit. The first writer to find no batch
// running commits batches until none is waiting; the others wait for theirs.
func (s *Store) grouped(ctx context.Context, fn func(ctx context.Context, q queryer) error) error {
	return s.group.run(ctx, s, &groupOp{fn: fn, done: make(chan error, 1)})
}

// groupedSingle is grouped for a write that is one statement: alone, it
// runs as that statement (SQLite commits it by itself), saving the
// transaction's begin and commit.
func (s *Store) groupedSingle(ctx context.Context, fn func(ctx context.Context, q queryer) error) error {
	return s.group.run(ctx, s, &groupOp{fn: fn, single: true, done: make(chan error, 1)})
}

func (g *groupCommit) run(ctx context.Context, s *Store, op *groupOp) error {
	g.mu.Lock()
	g.pending = append(g.pending, op)
	if g.running {
		g.mu.Unlock()
		select {
		case err := <-op.done:
			return err
		case <-ctx.Done():
			// The write may still commit; the caller treats it as failed,
			// as with any write cut short.
			return ctx.Err()
		}
	}
	g.running = true
	for len(g.pending) > 0 {
		n := min(len(g.pending), maxGroup)
		batch := g.pending[:n:n]
		g.pending = g.pending[n:]
		g.mu.Unlock()
		s.commitGroup(context.WithoutCancel(ctx), batch)
		g.mu.Lock()
	}
	g.running = false
	g.mu.Unlock()
	return <-op.done
}

// commitGroup runs one batch in one transaction and answers each write.
func (s *Store) commitGroup(ctx context.Context, batch []*groupOp) {
	if len(batch) == 1 {
		// Alone: no savepoint needed, nor a transaction for one statement.
		op := batch[0]
		if op.single {
			op.done <- op.fn(ctx, s.db)
			return
		}
		op.done <- s.inTx(ctx, func(tx *sql.Tx) error { return op.fn(ctx, tx) })
		return
	}
	errs := make([]error, len(batch))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, op := range batch {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT grouped`); err != nil {
				return err
			}
			if errs[i] = op.fn(ctx, tx); errs[i] != nil {
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO grouped`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `RELEASE grouped`); err != nil {
				return err
			}
		}
		return nil
	})
	for i, op := range batch {
		if err != nil {
			errs[i] = fmt.Errorf("store: grouped write: %w", err)
		}
		op.done <- errs[i]
	}
}
