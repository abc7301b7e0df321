package dev.keydb.storage;

/**
 * A value that changes in place (collections, growable strings) and so carries the size it
 * was last counted at in its table's dataset total, in 8-byte units: when it changes, the
 * table adds the difference; when it goes, the table subtracts what it added. Immutable values
 * ({@code byte[]} strings, integers) need no such field, their size can be computed again at
 * any time — which is why the keyspace keeps no per-key size array (4 bytes a slot).
 */
public abstract class AccountedValue {
    private int accountedUnits;

    /** The size last counted for this value (see {@link ValueTable}); not for other uses. */
    public final int accountedUnits() {
        return accountedUnits;
    }

    public final void accountedUnits(int units) {
        accountedUnits = units;
    }
}
