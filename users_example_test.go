package mor_test

import (
	"context"
	"errors"
	"fmt"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

func ExampleUsersService_Update() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret, mor.WithPassword("admin1"))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// Only the fields set are sent: here the last name and the credit limit.
	credit, _ := mor.ParseDecimal("150.00")
	last := "Smith"
	err = c.Users.Update(ctx, mor.UpdateParams{UserID: 2, LastName: &last, Credit: &credit})
	fmt.Println("update:", err)

	id := int64(2)
	d, err := c.Users.Details(ctx, mor.DetailsParams{UserID: &id})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Username, d.FirstName, d.LastName, d.Credit, d.Balance)

	// users_get signs the caller's password (hence WithPassword above).
	users, err := c.Users.List(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("users:", len(users))

	// A username that is taken: the reasons follow "User was not updated".
	taken := "reseller"
	err = c.Users.Update(ctx, mor.UpdateParams{UserID: 2, Username: &taken})
	var apiErr *mor.APIError
	if errors.Is(err, mor.ErrUsernameTaken) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.Messages)
	}
	// Output:
	// update: <nil>
	// user_admin Test User Smith 150.0000 USD 0.00 USD
	// users: 6
	// [User was not updated Username has already been taken]
}
