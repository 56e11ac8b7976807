package dev.srudp.core.util;

import java.util.Arrays;

/**
 * A set of non-negative longs stored as disjoint, non-adjacent half-open ranges [start, end),
 * sorted ascending, in two parallel arrays. Small and allocation-free once grown: it tracks
 * received packet numbers and acknowledged or received stream bytes, where a handful of ranges is
 * the normal case.
 */
public final class RangeSet {
    private long[] starts = new long[4];
    private long[] ends = new long[4];
    private int size;

    /** Number of ranges. */
    public int rangeCount() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long start(int index) {
        return starts[index];
    }

    public long end(int index) {
        return ends[index];
    }

    /** The smallest member; only when not empty. */
    public long first() {
        return starts[0];
    }

    /** One past the largest member; only when not empty. */
    public long last() {
        return ends[size - 1];
    }

    public void clear() {
        size = 0;
    }

    /** Whether {@code value} is a member. */
    public boolean contains(long value) {
        int i = indexOfRangeStartingAtOrBefore(value);
        return i >= 0 && value < ends[i];
    }

    /** Whether every value of [start, end) is a member. */
    public boolean containsAll(long start, long end) {
        if (start >= end) {
            return true;
        }
        int i = indexOfRangeStartingAtOrBefore(start);
        return i >= 0 && end <= ends[i];
    }

    /** End of the range that contains {@code value}, or {@code value} when it is not a member. */
    public long contiguousEnd(long value) {
        int i = indexOfRangeStartingAtOrBefore(value);
        return i >= 0 && value < ends[i] ? ends[i] : value;
    }

    /** Whether [start, end) overlaps or touches an existing range (adding it adds no new range). */
    public boolean touches(long start, long end) {
        int i = indexOfRangeStartingAtOrBefore(end);
        return i >= 0 && ends[i] >= start;
    }

    /** Adds [start, end), merging with overlapping or adjacent ranges. */
    public void add(long start, long end) {
        if (start >= end) {
            return;
        }
        // first range whose end >= start (may merge), last range whose start <= end
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] < start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int first = lo;
        int last = first;
        while (last < size && starts[last] <= end) {
            last++;
        }
        if (first == last) {
            insertAt(first, start, end);
            return;
        }
        long mergedStart = Math.min(start, starts[first]);
        long mergedEnd = Math.max(end, ends[last - 1]);
        starts[first] = mergedStart;
        ends[first] = mergedEnd;
        int removed = last - first - 1;
        if (removed > 0) {
            System.arraycopy(starts, last, starts, first + 1, size - last);
            System.arraycopy(ends, last, ends, first + 1, size - last);
            size -= removed;
        }
    }

    /** Removes every member below {@code value}. */
    public void removeBelow(long value) {
        int drop = 0;
        while (drop < size && ends[drop] <= value) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(starts, drop, starts, 0, size - drop);
            System.arraycopy(ends, drop, ends, 0, size - drop);
            size -= drop;
        }
        if (size > 0 && starts[0] < value) {
            starts[0] = value;
        }
    }

    /** Removes [start, end). */
    public void remove(long start, long end) {
        if (start >= end) {
            return;
        }
        for (int i = 0; i < size; i++) {
            if (ends[i] <= start || starts[i] >= end) {
                continue;
            }
            if (starts[i] < start && ends[i] > end) {
                long oldEnd = ends[i];
                ends[i] = start;
                insertAt(i + 1, end, oldEnd);
                return;
            }
            if (starts[i] < start) {
                ends[i] = start;
            } else if (ends[i] > end) {
                starts[i] = end;
            } else {
                System.arraycopy(starts, i + 1, starts, i, size - i - 1);
                System.arraycopy(ends, i + 1, ends, i, size - i - 1);
                size--;
                i--;
            }
        }
    }

    /** Keeps only the {@code max} highest ranges. */
    public void keepHighest(int max) {
        if (size > max) {
            int drop = size - max;
            System.arraycopy(starts, drop, starts, 0, max);
            System.arraycopy(ends, drop, ends, 0, max);
            size = max;
        }
    }

    private int indexOfRangeStartingAtOrBefore(long value) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= value) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void insertAt(int index, long start, long end) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        System.arraycopy(starts, index, starts, index + 1, size - index);
        System.arraycopy(ends, index, ends, index + 1, size - index);
        starts[index] = start;
        ends[index] = end;
        size++;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append('[').append(starts[i]).append(',').append(ends[i]).append(')');
        }
        return sb.append('}').toString();
    }
}
