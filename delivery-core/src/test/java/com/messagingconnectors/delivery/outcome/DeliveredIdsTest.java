package com.messagingconnectors.delivery.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveredIdsTest {

    @Test
    void findsWhatItKeptWithTheLaterTime() {
        DeliveredIds ids = new DeliveredIds(100);
        String uuid = UUID.randomUUID().toString();
        ids.remember(uuid, 2_000);
        ids.remember("replayed-by-hand", 1_000);
        ids.remember(uuid, 1_500);

        assertThat(ids.deliveredAt(uuid)).isEqualTo(2_000);
        assertThat(ids.deliveredAt("replayed-by-hand")).isEqualTo(1_000);
        assertThat(ids.deliveredAt(UUID.randomUUID().toString())).isEqualTo(-1);
        assertThat(ids.deliveredAt(uuid.toUpperCase())).as("another string, another id").isEqualTo(-1);
        assertThat(ids.size()).isEqualTo(2);
    }

    @Test
    void keepsTheNewestIdsUpToItsBound() {
        DeliveredIds ids = new DeliveredIds(1_000);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String id = UUID.randomUUID().toString();
            all.add(id);
            ids.remember(id, i);
        }

        assertThat(ids.size()).isEqualTo(1_000);
        assertThat(all.subList(4_000, 5_000)).allMatch(id -> ids.deliveredAt(id) >= 4_000);
        assertThat(all.subList(0, 4_000)).allMatch(id -> ids.deliveredAt(id) == -1);
    }

    @Test
    void forgetsTheOldestUntilTheFirstNewerOne() {
        DeliveredIds ids = new DeliveredIds(10_000);
        for (int i = 0; i < 3_000; i++) {
            ids.remember("n-" + i, i);
        }
        ids.forgetDeliveredBefore(2_500);

        assertThat(ids.size()).isEqualTo(500);
        assertThat(ids.deliveredAt("n-2499")).isEqualTo(-1);
        assertThat(ids.deliveredAt("n-2500")).isEqualTo(2_500);
        assertThat(ids.deliveredAt("n-2999")).isEqualTo(2_999);
    }

    /** Random work against the map it replaced: the same answers for every id ever seen. */
    @Test
    void answersAsAnInsertionOrderedMapWithTheSameBound() {
        Random random = new Random(7);
        int maxIds = 300;
        DeliveredIds ids = new DeliveredIds(maxIds);
        LinkedHashMap<String, Long> model = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxIds;
            }
        };
        List<String> seen = new ArrayList<>();
        long now = 0;
        for (int op = 0; op < 50_000; op++) {
            now += random.nextInt(3);
            int what = random.nextInt(100);
            if (what < 60 || seen.isEmpty()) {
                String id = random.nextBoolean() ? UUID.randomUUID().toString() : "id-" + op;
                seen.add(id);
                ids.remember(id, now);
                model.merge(id, now, Math::max);
            } else if (what < 95) {
                String id = seen.get(random.nextInt(seen.size()));
                long at = now - random.nextInt(50);
                ids.remember(id, at);
                model.merge(id, at, Math::max);
            } else {
                long oldest = now - random.nextInt(400);
                ids.forgetDeliveredBefore(oldest);
                Iterator<Long> times = model.values().iterator();
                while (times.hasNext() && times.next() < oldest) {
                    times.remove();
                }
            }
        }

        assertThat(ids.size()).isEqualTo(model.size());
        for (String id : seen) {
            assertThat(ids.deliveredAt(id)).as(id).isEqualTo(model.getOrDefault(id, -1L));
        }
    }
}
