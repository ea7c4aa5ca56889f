package main

import (
	"context"
	"io"
	"time"

	mor "github.com/morbilling/mor-go"
)

// The call-record group's typed JSON for mor call -o json: user_calls_get
// prints the same row objects as `mor calls export --format jsonl`, as one
// array; recordings_get and quickstats_get print their typed fields with
// the reply's element names.
func init() {
	typedJSON["user_calls_get"] = func(ctx context.Context, c *mor.Client, _ callArgs, w io.Writer) error {
		rows := []map[string]string{}
		for call, err := range c.Calls.All(ctx, mor.CallsQuery{}) {
			if err != nil {
				return err
			}
			row := map[string]string{}
			for i, v := range callValues(&call) {
				if v != "" {
					row[callsColumns[i]] = v
				}
			}
			rows = append(rows, row)
		}
		return writeJSON(w, rows)
	}
	typedJSON["recordings_get"] = func(ctx context.Context, c *mor.Client, _ callArgs, w io.Writer) error {
		recs, err := c.Calls.Recordings(ctx, mor.RecordingsParams{})
		if err != nil {
			return err
		}
		out := make([]recordingRecord, 0, len(recs))
		for _, r := range recs {
			out = append(out, recordingRecord{ID: r.ID, UserID: r.UserID, DstUserID: r.DstUserID,
				SrcDeviceID: r.SrcDeviceID, DstDeviceID: r.DstDeviceID, Date: r.Time.Format(time.RFC3339),
				Comment: r.Comment, Duration: int64(r.Duration / time.Second), Source: r.Source,
				Destination: r.Destination, Size: r.Size})
		}
		return writeJSON(w, out)
	}
	typedJSON["quickstats_get"] = func(ctx context.Context, c *mor.Client, _ callArgs, w io.Writer) error {
		q, err := c.Calls.QuickStats(ctx)
		if err != nil {
			return err
		}
		rec := quickStatsRecord{ThisMonth: periodRecord(q.ThisMonth), Today: periodRecord(q.Today)}
		if q.ActiveCalls != nil {
			rec.ActiveCalls = &activeCallsRecord{Total: q.ActiveCalls.Total, Answered: q.ActiveCalls.Answered}
		}
		return writeJSON(w, rec)
	}
}

// recordingRecord is one recordings_get record as mor call prints it.
type recordingRecord struct {
	ID          int64  `json:"id"`
	UserID      int64  `json:"user_id"`
	DstUserID   int64  `json:"dst_user_id"`
	SrcDeviceID int64  `json:"src_device_id"`
	DstDeviceID int64  `json:"dst_device_id"`
	Date        string `json:"date"`
	Comment     string `json:"comment"`
	Duration    int64  `json:"duration"` // seconds
	Source      string `json:"source"`
	Destination string `json:"destination"`
	Size        int64  `json:"size"` // bytes
}

// quickStatsRecord is quickstats_get as mor call prints it.
type quickStatsRecord struct {
	ThisMonth   quickStatsPeriod   `json:"this_month"`
	Today       quickStatsPeriod   `json:"today"`
	ActiveCalls *activeCallsRecord `json:"active_calls,omitempty"`
}

type quickStatsPeriod struct {
	Unavailable bool    `json:"unavailable,omitempty"`
	Calls       int64   `json:"calls"`
	Duration    int64   `json:"duration"` // seconds
	Revenue     *string `json:"revenue,omitempty"`
	SelfCost    *string `json:"self_cost,omitempty"`
	Profit      *string `json:"profit,omitempty"`
}

type activeCallsRecord struct {
	Total    int64 `json:"total"`
	Answered int64 `json:"answered_calls"`
}

func periodRecord(p mor.QuickStatsPeriod) quickStatsPeriod {
	dec := func(d *mor.Decimal) *string {
		if d == nil {
			return nil
		}
		s := d.String()
		return &s
	}
	return quickStatsPeriod{Unavailable: p.Unavailable, Calls: p.Calls, Duration: int64(p.Duration / time.Second),
		Revenue: dec(p.Revenue), SelfCost: dec(p.SelfCost), Profit: dec(p.Profit)}
}
