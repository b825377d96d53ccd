import Hummingbird

extension SandboxService {
    /// Records in one bulk call at most, as at Leadspace.
    static let maximumBulkRecords = 500

    /// `POST /enrichment/enrich/single`.
    func single(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        self.statistics.countRequest(.single)
        return try await self.deliver(await self.singleReply(request), context: context)
    }

    /// `POST /enrichment/enrich/bulk`.
    func bulk(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        self.statistics.countRequest(.bulk)
        return try await self.deliver(await self.bulkReply(request), context: context)
    }

    /// `GET /v3/enrichment/results/:id`.
    func poll(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        self.statistics.countRequest(.poll)
        let reply: SandboxReply
        if let refusal = self.admit(request, rateLimited: false) {
            reply = refusal
        } else {
            switch self.bulkJobs.lookup(id: context.parameters.get("id") ?? "", now: .now) {
            case .unknown:
                reply = self.error(.notFound, "Not Found", details: "no bulk request with this id")
            case .processing:
                reply = .empty(.noContent)
            case .ready(let results):
                reply = .json(.ok, Self.encode(BulkResults(results: results)))
            }
        }
        return try await self.deliver(reply, context: context)
    }

    private func singleReply(_ request: Request) async throws -> SandboxReply {
        if let refusal = self.admit(request, rateLimited: true) {
            return refusal
        }
        let record: EnrichmentRequest
        switch await self.decodeBody(EnrichmentRequest.self, from: request) {
        case .success(let decoded): record = decoded
        case .failure(let failure): return failure.reply
        }
        if let reason = self.engine.invalidInputReason(record) {
            return self.error(.badRequest, "Bad Request", details: reason)
        }
        try await Task.sleep(for: self.injector.latency())
        let plan = self.injector.plan()
        if case .serverError(let code) = plan {
            self.statistics.countFault(.serverError)
            return self.error(.init(code: code), "Internal Server Error", details: "injected fault")
        }
        guard self.credits.charge(1) else {
            return self.error(.outOfCredits, "Out of credits", details: "the program's credit balance is spent")
        }
        self.statistics.countBilled(1)
        return self.finish(Self.encode(self.engine.enrich(record)), status: .ok, plan: plan)
    }

    private func bulkReply(_ request: Request) async throws -> SandboxReply {
        if let refusal = self.admit(request, rateLimited: true) {
            return refusal
        }
        let batch: BulkRequest
        switch await self.decodeBody(BulkRequest.self, from: request) {
        case .success(let decoded): batch = decoded
        case .failure(let failure): return failure.reply
        }
        guard !batch.data.isEmpty, batch.data.count <= Self.maximumBulkRecords else {
            return self.error(.badRequest, "Bad Request", details: "data must hold 1 to 500 records")
        }
        try await Task.sleep(for: self.injector.latency())
        let plan = self.injector.plan()
        if case .serverError(let code) = plan {
            self.statistics.countFault(.serverError)
            return self.error(.init(code: code), "Internal Server Error", details: "injected fault")
        }

        var results: [BulkRecordResult?] = []
        var billable: [(position: Int, record: EnrichmentRequest)] = []
        for (position, item) in batch.data.enumerated() {
            guard let record = item.request else {
                results.append(.failed(externalID: item.externalID, code: 1200, message: "record is not a JSON object"))
                continue
            }
            if let reason = self.engine.invalidInputReason(record) {
                results.append(.failed(externalID: record.externalID, code: 1200, message: reason))
            } else if self.injector.recordFails() {
                results.append(.failed(externalID: record.externalID, code: 1100, message: "internal error"))
            } else {
                results.append(nil)
                billable.append((position, record))
            }
        }
        guard self.credits.charge(billable.count) else {
            return self.error(.outOfCredits, "Out of credits", details: "not enough credits for this batch")
        }
        self.statistics.countBilled(billable.count)
        for (position, record) in billable {
            results[position] = .answered(self.engine.enrich(record))
        }
        var finished = results.compactMap { $0 }
        self.injector.shuffle(&finished)
        let id = FaultInjector.identifier(hexDigits: 24)
        let delay = Duration.milliseconds(self.configuration.bulkDelayMilliseconds + finished.count)
        self.bulkJobs.add(id: id, results: finished, readyAt: .now + delay)
        return self.finish(
            Self.encode(BulkAccepted(id: "/v3/enrichment/results/\(id)")), status: .accepted, plan: plan
        )
    }

    /// Sends a billed answer, unless the fault plan loses or mangles it on the way back.
    private func finish(_ body: [UInt8], status: HTTPResponse.Status, plan: FaultPlan) -> SandboxReply {
        switch plan {
        case .timeout:
            self.statistics.countFault(.timeout)
            return .drop(hold: .seconds(self.configuration.timeoutHoldSeconds))
        case .reset:
            self.statistics.countFault(.reset)
            return .drop(hold: nil)
        case .malformed:
            self.statistics.countFault(.malformed)
            return .json(status, Array(body.prefix(body.count / 2)))
        case .none, .serverError:
            return .json(status, body)
        }
    }
}
