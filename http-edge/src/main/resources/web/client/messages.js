// Texts for a person, for the API's error codes. An unknown code shows the server's own message.

const BY_CODE = {
  INVALID_CREDENTIALS: 'Wrong user or password.',
  USER_EXISTS: 'That user id is taken. Choose another one.',
  USER_NOT_FOUND: 'There is no user with that id.',
  CANNOT_ADD_SELF: 'That is your own user id.',
  ALREADY_FRIENDS: 'You are already friends.',
  NOT_FRIENDS: 'You are not friends.',
  NOT_A_FRIEND: 'Only your friends can be added to a room.',
  ALREADY_MEMBER: 'Already in this room.',
  NOT_A_MEMBER: 'You are no longer in this room.',
  ROOM_NOT_FOUND: 'This room does not exist.',
  RATE_LIMITED: 'Sending too fast; try again in a moment.',
  SERVICE_UNAVAILABLE: 'The server is busy; try again.',
};

export function describe(error) {
  return BY_CODE[error.code] || error.message || 'Something went wrong.';
}
