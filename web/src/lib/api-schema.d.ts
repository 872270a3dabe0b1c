// GENERATED from the node's OpenAPI document (`passcom openapi`) by web/scripts/api-types.mjs.
// Do not edit: run `npm run api-types` in web/ after changing the API.

export interface paths {
    "/api/v1/about": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which airline this node is (for a web app to brand itself), and the software's version. */
        get: operations["about"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/flights": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publishes a new flight of this airline. */
        post: operations["publish_flight"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/flights/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Edits a flight's times or fare, if it is still at the version in `If-Match`. */
        put: operations["edit"];
        post?: never;
        /** Cancels a flight; its booked segments are marked `flight_cancelled`. */
        delete: operations["cancel_flight"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/flights/{id}/segments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This airline's record of the segments on one of its flights: every seat held or sold,
         *     with the passenger, the ticket, and the seller's booking it belongs to.
         */
        get: operations["segments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/airlines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every airline this node knows, with its status. */
        get: operations["airlines"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/airports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every airport of the network. */
        get: operations["airports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Opens a session. */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends the session of the bearer token. */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Creates an account. */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The customer's own bookings, newest first. */
        get: operations["list"];
        put?: never;
        /** Buys a trip: every seat on every flight, or none. */
        post: operations["buy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{reference}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the customer's bookings; anyone else's is `booking_not_found`. */
        get: operations["get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{reference}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancels one of the customer's bookings and releases every seat; cancelling again changes
         *     nothing.
         */
        post: operations["cancel_booking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flights": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Flights known here, in departure order. */
        get: operations["flights"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flights/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One flight. Its `ETag` is its version, for `If-Match` on admin edits. */
        get: operations["flight"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flights/{id}/seats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A flight's seat map, from its owner (asked over the network when the flight is another
         *     airline's). No personal data.
         */
        get: operations["seats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/itineraries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every trip, across all airlines, that no other beats on arrival time, stops and price at once. */
        get: operations["itineraries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The logged-in customer. */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/network": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This node, its peers, their status and the replication positions. */
        get: operations["network"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every route flown from now on, by any airline this node knows: for maps. */
        get: operations["routes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Which airline this node is. */
        AboutView: {
            /** @description The airline, as `/airlines` shows it. */
            airline: components["schemas"]["AirlineView"];
            /** @description PassCom's version. */
            version: string;
        };
        /** @description Every airline this node knows. */
        AirlineList: {
            /** @description By id. */
            airlines: components["schemas"]["AirlineView"][];
        };
        /** @description An airline of the network. */
        AirlineView: {
            /**
             * @description Network id.
             * @example giro
             */
            id: string;
            /** @description Name. */
            name: string;
            /** @description Flight-number prefix. */
            designator: string;
            /**
             * @description Brand colour.
             * @example #2e7d32
             */
            colour: string;
            /** @description `online` or `offline` (this node is always online to itself). */
            status: string;
        };
        /** @description Every airport. */
        AirportList: {
            /** @description By code. */
            airports: components["schemas"]["AirportView"][];
        };
        /** @description An airport. */
        AirportView: {
            /**
             * @description IATA code.
             * @example MCZ
             */
            code: string;
            /** @description Name. */
            name: string;
            /** @description City served. */
            city: string;
            /** @description State. */
            state: string;
            /** @description Country. */
            country: string;
            /**
             * Format: double
             * @description Degrees north.
             */
            latitude: number;
            /**
             * Format: double
             * @description Degrees east.
             */
            longitude: number;
            /**
             * @description IANA time zone of its local times.
             * @example America/Maceio
             */
            timezone: string;
        };
        /** @description A trip to buy. */
        BookingBody: {
            /**
             * @description Flight ids in travel order; connections must be feasible.
             * @example [
             *       "GI1001-2026-12-01",
             *       "BO1001-2026-12-01"
             *     ]
             */
            flights: string[];
            /** @description One to nine passengers (`limits.passengers_max`). */
            passengers: components["schemas"]["PassengerBody"][];
            /** @description Per flight, one seat per passenger (`[["12C", "12D"], …]`); absent to have seats chosen. */
            seats?: string[][] | null;
        };
        /** @description A page of bookings. */
        BookingList: {
            /** @description Newest first. */
            bookings: components["schemas"]["BookingView"][];
            /** @description Pass as `cursor` for the next page; null on the last. */
            next_cursor?: string | null;
        };
        /** @description A booking. */
        BookingView: {
            /**
             * @description Six-character booking reference.
             * @example K7M2QX
             */
            reference: string;
            /**
             * @description `confirmed`, `pending` (the purchase across airlines is not decided yet), `cancelled` or
             *     `failed` (nothing was bought; `failure` says why).
             */
            status: string;
            /** @description Passengers. */
            passengers: components["schemas"]["PassengerView"][];
            /** @description Segments, flight by flight, passenger by passenger. */
            segments: components["schemas"]["SegmentView"][];
            /**
             * Format: int64
             * @description Total for every passenger, cents.
             */
            total_price: number;
            /** @description Currency of every amount. */
            currency: string;
            /** @description When it was made (UTC). */
            created_at: string;
            /** @description Every change, oldest first. */
            history: components["schemas"]["HistoryView"][];
            failure?: components["schemas"]["FailureView"] | null;
        };
        /** @description A seat layout. */
        CabinBody: {
            /**
             * Format: int32
             * @description Rows, 1–99.
             */
            rows: number;
            /** @description Seat letters of a row, like `ABCDEF`. */
            letters: string;
        };
        /** @description A customer account. */
        CustomerView: {
            /**
             * Format: int64
             * @description Id at this airline.
             */
            id: number;
            /** @description Login name. */
            username: string;
            /** @description Name. */
            name: string;
            /** @description When the account was made. */
            created_at: string;
        };
        /** @description The body of every error answer. */
        ErrorBody: {
            /** @description What went wrong. */
            error: components["schemas"]["ErrorDetail"];
        };
        /** @description What went wrong, with a stable code. */
        ErrorDetail: {
            /**
             * @description Stable snake_case code, such as `seat_unavailable`.
             * @example seat_unavailable
             */
            code: string;
            /** @description A sentence for people. */
            message: string;
            /** @description The flight concerned, where there is one. */
            flight?: string | null;
            /** @description The airline concerned, where there is one. */
            airline?: string | null;
            /** @description The request field that was wrong, like `passengers[1].name`. */
            field?: string | null;
            /**
             * Format: int64
             * @description A flight's version now, on a failed `If-Match`.
             */
            current_version?: number | null;
        };
        /** @description Why a purchase failed. */
        FailureView: {
            /** @description The error code the purchase was answered with, such as `seat_unavailable`. */
            code: string;
            /** @description A sentence for people. */
            message: string;
            /** @description The flight concerned (a seat taken, a flight cancelled or departed), as in the answer. */
            flight?: string | null;
            /** @description The airline that could not be reached, as in the answer. */
            airline?: string | null;
        };
        /** @description Changes to a flight; absent fields stay. */
        FlightEditBody: {
            /** @description New departure (same local date). */
            departure?: string | null;
            /** @description New arrival. */
            arrival?: string | null;
            /**
             * Format: int64
             * @description New fare, cents.
             */
            price?: number | null;
        };
        /** @description A page of flights. */
        FlightList: {
            /** @description In departure order. */
            flights: components["schemas"]["FlightView"][];
            /** @description Pass as `cursor` for the next page; null on the last. */
            next_cursor?: string | null;
        };
        /** @description The segments on one flight. */
        FlightSegmentList: {
            /** @description The flight. */
            flight: string;
            /** @description By seat. */
            segments: components["schemas"]["FlightSegmentView"][];
        };
        /** @description The operating airline's record of one seat on one of its flights. */
        FlightSegmentView: {
            /** @description The seat. */
            seat: string;
            /** @description `sold`, or `held` while its purchase is being decided. */
            state: string;
            /** @description The passenger's name. */
            passenger: string;
            /** @description The ticket this airline issued. */
            ticket_number: string;
            /** @description The airline that sold it. */
            seller: string;
            /** @description The seller's booking reference, once sold. */
            reference?: string | null;
            /** @description The transaction that holds or sold it. */
            txn: string;
        };
        /** @description A flight. */
        FlightView: {
            /**
             * @description Network-wide id.
             * @example GI1001-2026-12-01
             */
            id: string;
            /**
             * @description Designator and number.
             * @example GI1001
             */
            flight_number: string;
            /** @description Owner airline id. */
            airline: string;
            /** @description Departure airport code. */
            origin: string;
            /** @description Arrival airport code. */
            destination: string;
            /**
             * @description Local departure time at the origin, RFC 3339 with offset.
             * @example 2026-12-01T06:00:00-05:00
             */
            departure: string;
            /** @description Local arrival time at the destination, RFC 3339 with offset. */
            arrival: string;
            /**
             * Format: int64
             * @description Minutes in the air, gate to gate.
             */
            duration_minutes: number;
            /**
             * Format: int32
             * @description 1 when the flight lands the local day after it leaves ("+1 day").
             */
            arrival_day_offset: number;
            /**
             * Format: int64
             * @description Fare per seat, cents of BRL.
             */
            price: number;
            /**
             * Format: int32
             * @description Free seats now.
             */
            seats_available: number;
            /**
             * Format: int32
             * @description Seats on the aircraft.
             */
            capacity: number;
            /** @description `scheduled` or `cancelled`. */
            status: string;
            /**
             * Format: int64
             * @description Version, for `If-Match` on edits.
             */
            version: number;
            /** @description Whether the flight's airline answers now: its seats can be sold only if it does. */
            owner_online: boolean;
        };
        /** @description One event in a booking's life. */
        HistoryView: {
            /** @description When (UTC). */
            at: string;
            /** @description Stable code: `confirmed`, `cancelled`, `flight_cancelled`… */
            event: string;
            /** @description What happened, for people. */
            detail: string;
        };
        /** @description The trips no other trip beats on arrival, stops and price at once. */
        ItineraryList: {
            /** @description Bookable ones first, then by arrival, price, stops. */
            itineraries: components["schemas"]["ItineraryView"][];
        };
        /** @description One trip. */
        ItineraryView: {
            /** @description Its flights, in travel order, as `/flights` shows them. */
            legs: components["schemas"]["FlightView"][];
            /** @description Local departure time at the origin. */
            departure: string;
            /** @description Local arrival time at the destination. */
            arrival: string;
            /**
             * Format: int64
             * @description Minutes from departure to arrival, connections included.
             */
            duration_minutes: number;
            /**
             * Format: int32
             * @description 1 when it lands the local day after it leaves ("+1 day"), 2 for two days…
             */
            arrival_day_offset: number;
            /**
             * Format: int64
             * @description Price for every passenger, cents.
             */
            price: number;
            /** @description Connections: legs minus one. */
            stops: number;
            /** @description `fastest`, `cheapest`, `fewest_stops`, where it is. */
            highlights: string[];
            /** @description Whether it can be bought now: every airline it needs answers. */
            bookable: boolean;
            /** @description The airlines it needs that do not answer now. */
            offline_airlines: string[];
        };
        /** @description Credentials. */
        LoginBody: {
            /** @description Username. */
            username: string;
            /** @description Password. */
            password: string;
        };
        /** @description A new session. */
        LoginView: {
            /** @description Bearer token: send as `Authorization: Bearer <token>`. */
            token: string;
            /** @description Always `Bearer`. */
            token_type: string;
            /** @description When it expires if left unused (each use extends it). */
            expires_at: string;
        };
        /** @description The logged-in customer. */
        MeView: components["schemas"]["CustomerView"] & {
            /** @description When the session expires if left unused. */
            session_expires_at: string;
        };
        /** @description This node and its view of the network. */
        NetworkView: {
            /** @description This airline's id. */
            airline: string;
            /** @description When this node started (UTC). */
            started_at: string;
            /**
             * Format: int64
             * @description The head of this airline's change log.
             */
            log_head: number;
            /** @description This airline's public key, for peers to pin. */
            public_key: string;
            /** @description The peers. */
            peers: components["schemas"]["PeerStatusView"][];
        };
        /** @description A flight to publish. */
        NewFlightBody: {
            /**
             * Format: int32
             * @description Flight number without designator, 1–9999.
             * @example 4321
             */
            number: number;
            /** @description Departure airport code. */
            origin: string;
            /** @description Arrival airport code. */
            destination: string;
            /**
             * @description Departure, RFC 3339 with offset.
             * @example 2026-12-01T08:15:00-03:00
             */
            departure: string;
            /** @description Arrival, RFC 3339 with offset. */
            arrival: string;
            /**
             * Format: int64
             * @description Fare per seat, cents.
             */
            price: number;
            cabin?: components["schemas"]["CabinBody"] | null;
        };
        /** @description A passenger. */
        PassengerBody: {
            /**
             * @description Name as it goes on the ticket: letters, no control, invisible or direction-changing
             *     characters.
             */
            name: string;
        };
        /** @description A passenger of a booking. */
        PassengerView: {
            /** @description Name as on the tickets. */
            name: string;
        };
        /** @description One peer as this node sees it. */
        PeerStatusView: {
            /** @description Its airline id. */
            airline: string;
            /** @description Its base URL. */
            url: string;
            /** @description `online` or `offline`. */
            status: string;
            /** @description Since when (UTC). */
            since: string;
            /** @description Its last answer to a heartbeat (UTC), if any. */
            last_heartbeat?: string | null;
            /** @description This node's copy of its catalog. */
            replication: components["schemas"]["ReplicationView"];
        };
        /** @description A new account. */
        RegisterBody: {
            /**
             * @description 3–32 letters, digits, `.`, `_`, `-`.
             * @example anaferreira
             */
            username: string;
            /** @description 8–128 characters. */
            password: string;
            /**
             * @description Name shown in the account: no control, invisible or direction-changing characters.
             * @example Ana Ferreira
             */
            name: string;
        };
        /** @description Where this node's replica of a peer's catalog stands. */
        ReplicationView: {
            /**
             * Format: int64
             * @description The last entry of the peer's change log applied here.
             */
            position: number;
            /**
             * Format: int64
             * @description The head of the peer's change log, as last heard.
             */
            owner_head: number;
            /**
             * Format: int64
             * @description Entries this node is behind.
             */
            lag_entries: number;
            /** @description When a batch was last applied (UTC), if ever since start. */
            last_applied_at?: string | null;
        };
        /** @description Every route of the network. */
        RouteList: {
            /** @description By origin, destination, airline. */
            routes: components["schemas"]["RouteView"][];
        };
        /** @description One route of the network: an airline flying from one airport to another. */
        RouteView: {
            /** @description Departure airport code. */
            origin: string;
            /** @description Arrival airport code. */
            destination: string;
            /** @description The airline flying it. */
            airline: string;
            /** @description Scheduled flights on it from now on, as this node knows them. */
            flights: number;
        };
        /** @description A flight's seat map, as its owner has it now. No personal data. */
        SeatMapView: {
            /** @description The flight. */
            flight: string;
            /**
             * Format: int32
             * @description Number of rows.
             */
            rows: number;
            /**
             * @description Seat letters of every row.
             * @example ABCDEF
             */
            letters: string;
            /** @description Every seat, row by row. */
            seats: components["schemas"]["SeatView"][];
            /** @description How many are free. */
            seats_available: number;
        };
        /** @description One seat of a seat map. */
        SeatView: {
            /**
             * @description Seat number.
             * @example 12C
             */
            seat: string;
            /** @description Whether it can be chosen. */
            available: boolean;
        };
        /** @description One passenger on one flight. */
        SegmentView: {
            /** @description Flight id. */
            flight: string;
            /** @description Operating airline id. */
            airline: string;
            /** @description Departure airport code. */
            origin: string;
            /** @description Arrival airport code. */
            destination: string;
            /** @description Local departure time. */
            departure: string;
            /** @description Local arrival time. */
            arrival: string;
            /** @description Passenger name. */
            passenger: string;
            /** @description Seat. */
            seat: string;
            /**
             * @description 13-digit ticket number.
             * @example 8820000000042
             */
            ticket_number: string;
            /**
             * Format: int64
             * @description Fare paid, cents.
             */
            price: number;
            /** @description `confirmed`, `cancelled` or `flight_cancelled`. */
            status: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    about: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AboutView"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    publish_flight: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewFlightBody"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlightView"];
                };
            };
            /** @description `malformed_json`: the body is not JSON; `unreadable_body`: it could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `airport_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_exists` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over `limits.request_body_bytes_max` (64 KiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `same_origin_and_destination`, `arrival_before_departure`, `departure_in_past`, `invalid_price`… */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    edit: {
        parameters: {
            query?: never;
            header: {
                /** @description The version edited, as the flight's ETag gives it */
                "If-Match": string;
            };
            path: {
                /** @description Flight id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FlightEditBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlightView"];
                };
            };
            /** @description `malformed_json`: the body is not JSON; `unreadable_body`: it could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_cancelled` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `version_mismatch`, with `current_version` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over `limits.request_body_bytes_max` (64 KiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_date_changed`, `arrival_before_departure`… */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `precondition_required`: no If-Match */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    cancel_flight: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional: cancel only if still at this version */
                "If-Match"?: string | null;
            };
            path: {
                /** @description Flight id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled (also when it already was) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlightView"];
                };
            };
            /** @description `invalid_query`, `invalid_path` or a parameter's own code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `version_mismatch` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    segments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Flight id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlightSegmentList"];
                };
            };
            /** @description `invalid_query`, `invalid_path` or a parameter's own code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_not_found` (not one of this airline's flights) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    airlines: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AirlineList"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    airports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AirportList"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginBody"];
            };
        };
        responses: {
            /** @description Logged in */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginView"];
                };
            };
            /** @description `malformed_json`: the body is not JSON; `unreadable_body`: it could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_credentials`, the same for an unknown user and a wrong password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over `limits.request_body_bytes_max` (64 KiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_body`: JSON of the wrong shape */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `too_many_attempts`: too many failed logins for this account or from this address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged out (also when the session had already ended) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthenticated`: no bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterBody"];
            };
        };
        responses: {
            /** @description Account created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerView"];
                };
            };
            /** @description `malformed_json`: the body is not JSON; `unreadable_body`: it could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `username_taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over `limits.request_body_bytes_max` (64 KiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `invalid_username`, `invalid_password`, `invalid_name`, `invalid_body` */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `too_many_attempts`: too many registrations from this address; `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list: {
        parameters: {
            query?: {
                /** @description Page size, 1–1000 (default 100). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingList"];
                };
            };
            /** @description `invalid_limit`, `invalid_cursor` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `session_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    buy: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes retries safe: the same key with the same body returns the same booking */
                "Idempotency-Key"?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BookingBody"];
            };
        };
        responses: {
            /** @description Confirmed on every flight */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingView"];
                };
            };
            /** @description Outcome not known yet (`pending`): read the booking later */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingView"];
                };
            };
            /** @description `malformed_json`: the body is not JSON; `unreadable_body`: it could not be read */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `session_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_not_found` (with `reference` when an owner did not know the flight: the purchase failed as a whole) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `seat_unavailable` (naming the flight), `flight_cancelled`, `flight_departed`; with `reference` when a purchase across airlines failed as a whole (the booking is `failed`, nothing was bought on any flight, and this key answers the same again: a new attempt needs a new key) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `payload_too_large`: the body is over `limits.request_body_bytes_max` (64 KiB by default) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/json` */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `idempotency_key_reused`, `connection_too_short`, `flights_not_connected`, `seat_not_on_flight`, `too_many_passengers`… */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `airline_unavailable` (naming the airline): known offline, nothing started — or, with `reference`, it stopped answering and the purchase failed as a whole; `purchase_interrupted` (with `reference`): the seller restarted before deciding */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Booking reference */
                reference: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingView"];
                };
            };
            /** @description `invalid_booking_reference` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `session_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `booking_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    cancel_booking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Booking reference */
                reference: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled (again: unchanged); a `failed` booking has nothing to cancel and is answered as it is */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingView"];
                };
            };
            /** @description `invalid_query`, `invalid_path` or a parameter's own code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `unauthenticated`, `session_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `booking_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_departed`: a flight of the booking has left; `booking_pending`: its purchase is not decided yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    flights: {
        parameters: {
            query?: {
                /** @description Departure airport code. */
                origin?: string;
                /** @description Arrival airport code. */
                destination?: string;
                /** @description Local date of departure at the origin, `YYYY-MM-DD`. */
                date?: string;
                /** @description Page size, 1–1000 (default 100). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlightList"];
                };
            };
            /** @description `invalid_airport_code`, `invalid_date`, `invalid_limit`, `invalid_cursor`, `invalid_query` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `airport_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    flight: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Flight id, like GI1001-2026-12-01 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlightView"];
                };
            };
            /** @description `invalid_flight_id` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    seats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Flight id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SeatMapView"];
                };
            };
            /** @description `invalid_flight_id` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `flight_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `airline_unavailable`: the owner does not answer now */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    itineraries: {
        parameters: {
            query: {
                /** @description Departure airport code. */
                origin: string;
                /** @description Arrival airport code. */
                destination: string;
                /** @description Local date of departure at the origin, `YYYY-MM-DD`, today or later. */
                date: string;
                /** @description Passengers, 1 to 9 (default 1); every leg must have a seat for each. */
                passengers?: string;
                /** @description Earliest local departure time at the origin, `HH:MM`. */
                departure_from?: string;
                /** @description Latest local departure time at the origin, `HH:MM`. */
                departure_until?: string;
                /** @description Most itineraries wanted (default and maximum: the node's `search_results_max`). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItineraryList"];
                };
            };
            /** @description `invalid_airport_code`, `same_origin_and_destination`, `invalid_date`, `date_in_past`, `invalid_passengers`, `invalid_window`, `invalid_limit`, `invalid_query` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `airport_not_found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeView"];
                };
            };
            /** @description `unauthenticated` or `session_expired` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    network: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NetworkView"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    routes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteList"];
                };
            };
            /** @description `request_timeout`: past `limits.request_timeout_ms`; `too_many_connections`: over a connection cap (with `Retry-After`) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
