package chat.cluster.room;

import java.util.List;

/** Messages in ascending seq order, and whether more lie beyond them in the paging direction. */
public record MessagePage(List<Message> messages, boolean hasMore) {}
