package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func (a *app) fakeServerCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "fake-server",
		Short: "Run the mortest fake MOR server standalone",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("not built yet: waiting for package mortest")
		},
	}
}
