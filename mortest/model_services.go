package mortest

import "time"

// Service is one row of the services table. Prices are in the default
// currency.
type Service struct {
	ID         int64    // primary key (id)
	Name       string   // name (name)
	Type       string   // periodic_fee, one_time_fee, flat_rate, dynamic_flat_rate
	PeriodType string   // month or day
	Price      Decimal  // price (price)
	SelfCost   *Decimal // nil: NULL
	OwnerID    int64    // owner (owner_id); 0 the admin
	Quantity   int64    // minutes for flat rates, else 1
}

func (v *Service) key() *int64     { return &v.ID }
func (*Service) tableName() string { return "services" }
func (v *Service) clone() Service  { out := *v; out.SelfCost = clonePtr(v.SelfCost); return out }

// Subscription is one row of the subscriptions table. Times are server-local
// wall clocks.
type Subscription struct {
	ID              int64     // primary key (id)
	ServiceID       int64     // the service (service_id)
	UserID          int64     // the subscriber (user_id)
	DeviceID        *int64    // non-nil crashes subscriptions_get, as on the real server
	ActivationStart time.Time // start (activation_start)
	ActivationEnd   time.Time // zero: NULL (until cancelled)
	Added           time.Time // when it was added (added)
	Memo            string    // memo (memo)
	NoExpire        bool      // no_expire
}

func (v *Subscription) key() *int64     { return &v.ID }
func (*Subscription) tableName() string { return "subscriptions" }
func (v *Subscription) clone() Subscription {
	out := *v
	out.DeviceID = clonePtr(v.DeviceID)
	return out
}

// AddService stores a service (id 0: the next one) and returns its id.
func (s *Server) AddService(v Service) int64 { return addRow(s, s.st.services, v) }

// Service returns a copy of the service with this id.
func (s *Server) Service(id int64) (Service, bool) { return getRow(s, s.st.services, id) }

// Services returns copies of every service, in id order.
func (s *Server) Services() []Service { return listRows(s, s.st.services) }

// RemoveService deletes a service and reports whether it existed.
func (s *Server) RemoveService(id int64) bool { return removeRow(s, s.st.services, id) }

// UpdateService changes a service in place and reports whether it existed.
func (s *Server) UpdateService(id int64, fn func(*Service)) bool {
	return updateRow(s, s.st.services, id, fn)
}

// AddSubscription stores a subscription (id 0: the next one) and returns its
// id.
func (s *Server) AddSubscription(v Subscription) int64 { return addRow(s, s.st.subscriptions, v) }

// Subscription returns a copy of the subscription with this id.
func (s *Server) Subscription(id int64) (Subscription, bool) {
	return getRow(s, s.st.subscriptions, id)
}

// Subscriptions returns copies of every subscription, in id order.
func (s *Server) Subscriptions() []Subscription { return listRows(s, s.st.subscriptions) }

// RemoveSubscription deletes a subscription and reports whether it existed.
func (s *Server) RemoveSubscription(id int64) bool { return removeRow(s, s.st.subscriptions, id) }

// UpdateSubscription changes a subscription in place and reports whether it
// existed.
func (s *Server) UpdateSubscription(id int64, fn func(*Subscription)) bool {
	return updateRow(s, s.st.subscriptions, id, fn)
}
