package broadcast

import "sync"

// partition is what decides which channels hear each other: the "same
// origin" of the postMessage steps
// (https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-postmessage,
// in the spec a storage key obtained for non-storage purposes), and the
// embedder's partition. A tuple origin is compared by its serialization; an
// opaque one is the same only as itself, which a runtime and its workers
// share through their cluster.
type partition struct {
	origin string // the serialization of a tuple origin, "" for an opaque one
	opaque any    // for an opaque origin, what stands for it: the cluster
	label  string // Options.Partition
}

// topic is a channel name, by its code units, within a partition.
type topic struct {
	partition
	name string
}

// registry holds, for the whole process, the BroadcastChannels that are not
// closed, by topic, each list in creation order. A topic none is left in is
// removed, so that channels that come and go leave nothing behind.
var registry = struct {
	mu     sync.Mutex
	topics map[topic][]*channel
	seq    uint64 // creation order of the channels
}{topics: make(map[topic][]*channel)}

// join adds ch to its topic's channels, last in creation order.
func join(ch *channel) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	registry.seq++
	ch.seq = registry.seq
	registry.topics[ch.topic] = append(registry.topics[ch.topic], ch)
}

// leave removes ch from the registry, if it is there.
func leave(ch *channel) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	list := registry.topics[ch.topic]
	for i, c := range list {
		if c == ch {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(registry.topics, ch.topic)
		return
	}
	registry.topics[ch.topic] = list
}

// destinations returns the channels of t other than source, in creation
// order: step 6-8 of the postMessage steps, the channels of one agent
// sorted oldest first (creation order across the process sorts them so).
func destinations(t topic, source *channel) []*channel {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	list := registry.topics[t]
	out := make([]*channel, 0, len(list))
	for _, c := range list {
		if c != source {
			out = append(out, c)
		}
	}
	return out
}

// registered returns how many channels the registry holds, and in how many
// topics.
func registered() (channels, topics int) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	for _, list := range registry.topics {
		channels += len(list)
	}
	return channels, len(registry.topics)
}
