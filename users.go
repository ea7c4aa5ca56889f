package mor

// The users group: user_details_get, user_details_update, user_register,
// users_get, user_login, user_logout and reseller_group_create.

// UsersService reads, registers and updates users and logs them in and out.
// Reach it as Client.Users; it holds no state of its own.
type UsersService service
