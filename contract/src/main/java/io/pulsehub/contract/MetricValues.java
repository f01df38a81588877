package io.pulsehub.contract;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A decoded reading's metrics: the names and values in payload order, in two arrays, seen as an unmodifiable map.
 * The bridge decodes every reading it stores and walks its metrics a few times; a LinkedHashMap per reading was
 * 6–11 % of the bridge's profile samples, this is under 2 % (docs/benchmarks.md, item 16). Lookups scan, which for
 * the handful of metrics a reading has is no slower than hashing; the hub itself only ever iterates.
 */
final class MetricValues extends AbstractMap<String, Double> {

    private final String[] names;
    private final double[] values;

    /** Takes the arrays as they are; the caller must not change them afterwards. */
    MetricValues(final String[] names, final double[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException("as many values as names expected");
        }
        this.names = names;
        this.values = values;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean containsKey(final Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Double get(final Object key) {
        final int index = indexOf(key);
        return index < 0 ? null : values[index];
    }

    private int indexOf(final Object key) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Map.Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return names.length;
            }

            @Override
            public Iterator<Map.Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Map.Entry<String, Double> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        final int index = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(names[index], values[index]);
                    }
                };
            }
        };
    }
}
