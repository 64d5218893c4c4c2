-- H2: identifiers quoted in lower case, as in V1.
-- Read tables kept by the projections (module projections). Each row records the journal
-- sequence number of the newest event applied to it (event_seq_nr), so an event seen twice is
-- applied once. Times are epoch nanoseconds, exactly as the events hold them.

-- Messages by room and seq.
CREATE TABLE "room_message" (
  "room_id" VARCHAR(255) NOT NULL,
  "seq" BIGINT NOT NULL,
  "sender_id" VARCHAR(255) NOT NULL,
  "text" VARCHAR NOT NULL,
  "sent_at" BIGINT NOT NULL,
  "client_msg_id" VARCHAR(255) NOT NULL,
  PRIMARY KEY ("room_id", "seq")
);

-- One row per room: what the room list shows besides members.
CREATE TABLE "room_summary" (
  "room_id" VARCHAR(255) NOT NULL PRIMARY KEY,
  "name" VARCHAR(255),
  "created_by" VARCHAR(255) NOT NULL,
  "created_at" BIGINT NOT NULL,
  "last_seq" BIGINT NOT NULL,
  "last_sender_id" VARCHAR(255),
  "last_text" VARCHAR,
  "last_sent_at" BIGINT,
  "last_client_msg_id" VARCHAR(255),
  "event_seq_nr" BIGINT NOT NULL
);

-- Current members of a room, with each member's read mark and unread count.
CREATE TABLE "room_member" (
  "room_id" VARCHAR(255) NOT NULL,
  "user_id" VARCHAR(255) NOT NULL,
  "read_mark" BIGINT NOT NULL,
  "unread" BIGINT NOT NULL,
  "joined_at" BIGINT NOT NULL,
  PRIMARY KEY ("room_id", "user_id")
);

CREATE INDEX "room_member_user_idx" ON "room_member" ("user_id");

CREATE TABLE "user_directory" (
  "user_id" VARCHAR(255) NOT NULL PRIMARY KEY,
  "name" VARCHAR(255) NOT NULL,
  "status_message" VARCHAR NOT NULL,
  "created_at" BIGINT NOT NULL,
  "event_seq_nr" BIGINT NOT NULL
);

-- Both directions are stored: each user's journal holds its side of the friendship.
CREATE TABLE "friendship" (
  "user_id" VARCHAR(255) NOT NULL,
  "friend_id" VARCHAR(255) NOT NULL,
  PRIMARY KEY ("user_id", "friend_id")
);
