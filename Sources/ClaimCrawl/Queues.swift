/// A ring-buffer double-ended queue: O(1) push and pop at both ends.
struct Deque<Element> {
    private var storage: [Element?] = []
    private var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    var first: Element? { count == 0 ? nil : storage[head] }

    mutating func pushBack(_ element: Element) {
        growIfFull()
        storage[(head + count) % storage.count] = element
        count += 1
    }

    mutating func pushFront(_ element: Element) {
        growIfFull()
        head = (head - 1 + storage.count) % storage.count
        storage[head] = element
        count += 1
    }

    @discardableResult
    mutating func popFront() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        count -= 1
        return element
    }

    private mutating func growIfFull() {
        guard count == storage.count else { return }
        var grown = [Element?](repeating: nil, count: max(8, storage.count * 2))
        for i in 0..<count { grown[i] = storage[(head + i) % storage.count] }
        storage = grown
        head = 0
    }
}

/// A binary min-heap of (time, host) wake-ups.
struct TimerHeap {
    struct Entry {
        var time: Double
        var host: Int
    }

    private var items: [Entry] = []
    private var sequence: [Int] = []
    private var counter = 0

    var isEmpty: Bool { items.isEmpty }
    var peek: Entry? { items.first }

    /// Earlier time first; equal times in insertion order (FIFO), so hosts take turns.
    private func less(_ a: Int, _ b: Int) -> Bool {
        items[a].time < items[b].time || (items[a].time == items[b].time && sequence[a] < sequence[b])
    }

    mutating func push(time: Double, host: Int) {
        items.append(Entry(time: time, host: host))
        sequence.append(counter)
        counter += 1
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            items.swapAt(i, parent)
            sequence.swapAt(i, parent)
            i = parent
        }
    }

    @discardableResult
    mutating func pop() -> Entry? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        items.swapAt(0, items.count - 1)
        sequence.swapAt(0, sequence.count - 1)
        items.removeLast()
        sequence.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, less(l, m) { m = l }
            if r < items.count, less(r, m) { m = r }
            if m == i { break }
            items.swapAt(i, m)
            sequence.swapAt(i, m)
            i = m
        }
        return top
    }
}
