package queue_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/wardenbot/warden/bot/queue"
	"github.com/wardenbot/warden/bot/store/storetest"
)

// BenchmarkWebhookIngress measures what the webhook does before answering:
// dedupe the delivery id, then durably enqueue a scan (8 concurrent
// deliveries).
func BenchmarkWebhookIngress(b *testing.B) {
	for _, backend := range storetest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			st := storetest.Open(b, backend.NewURL(b))
			q, err := queue.New(ctx, st, queue.Handlers{}, queue.Config{MaxBacklog: 1 << 30})
			if err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if _, err := st.SeenDelivery(ctx, fmt.Sprint("delivery-", i)); err != nil {
						b.Error(err)
						return
					}
					if _, err := q.EnqueueScan(ctx, scan(i%50, int(i), "h")); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
