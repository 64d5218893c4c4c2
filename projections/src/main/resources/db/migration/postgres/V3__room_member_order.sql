-- Members are listed in the order they joined the room (the creator first), as the room entity
-- lists them; joined_at alone cannot tell apart the members a room was created with.
ALTER TABLE room_member ADD COLUMN member_no INT NOT NULL DEFAULT 0;
