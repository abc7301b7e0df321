package dev.keydb.storage.types;

import java.util.function.Consumer;

/**
 * A plain set as an input of ZUNION/ZINTER/ZDIFF/ZINTERCARD, where each member counts with
 * score 1 (Redis's zsetopsrc over OBJ_SET). The set value type implements this so the sorted
 * set commands can read it without depending on its encodings.
 */
public interface MemberSource {
    /** The number of members (an int, as {@link SetValue#size()}). */
    int size();

    boolean containsMember(byte[] member);

    /** Every member; the set must not be modified meanwhile. */
    void forEachMember(Consumer<byte[]> action);
}
