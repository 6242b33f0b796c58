/// The OpenAPI 3.1 document of the service, served at `/openapi.json`. `examples/openapi.json` is the same text (a
/// test keeps them equal and checks live responses against it); edit both, or edit this and re-record with
/// `TOKENWARDEN_RECORD=1 swift test`.
enum OpenAPIDocument {
  static let text = #"""
    {
      "components": {
        "responses": {
          "BadRequest": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "A malformed or unknown query parameter."
          },
          "Forbidden": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "A request that would change something (a heal) without a Bearer token and not from the service's own pages (no `Sec-Fetch-Site: same-origin` or `none`, no `Origin` of the service): another site's form, link or image. Nothing was done."
          },
          "MisdirectedRequest": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "The request's `Host` is not one of the service's names (its listen address, localhost on loopback, `--public-url`, `--allowed-host`); this stops pages reaching the service through DNS re-binding."
          },
          "Unauthorized": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "Missing or wrong client token.",
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        },
        "schemas": {
          "Condition": {
            "additionalProperties": false,
            "properties": {
              "last_transition_time": {
                "type": "string"
              },
              "message": {
                "type": "string"
              },
              "reason": {
                "type": "string"
              },
              "status": {
                "enum": [
                  "True",
                  "False",
                  "Unknown"
                ],
                "type": "string"
              },
              "type": {
                "enum": [
                  "Valid",
                  "Active",
                  "ExpiringSoon",
                  "PermissionsSatisfied",
                  "Drifted",
                  "Unused"
                ],
                "type": "string"
              }
            },
            "required": [
              "last_transition_time",
              "message",
              "reason",
              "status",
              "type"
            ],
            "type": "object"
          },
          "Error": {
            "additionalProperties": false,
            "description": "Every error answer: the envelope with `success: false` and what went wrong.",
            "properties": {
              "error": {
                "additionalProperties": false,
                "properties": {
                  "code": {
                    "enum": [
                      "bad_request",
                      "unauthorized",
                      "forbidden",
                      "not_found",
                      "method_not_allowed",
                      "conflict",
                      "misdirected_request",
                      "unavailable",
                      "error"
                    ],
                    "type": "string"
                  },
                  "message": {
                    "type": "string"
                  },
                  "status": {
                    "type": "integer"
                  }
                },
                "required": [
                  "code",
                  "message",
                  "status"
                ],
                "type": "object"
              },
              "format_version": {
                "const": "2",
                "description": "The version of this document's shape: 2 since the seed's envelope and keys.",
                "type": "string"
              },
              "success": {
                "const": false,
                "type": "boolean"
              }
            },
            "required": [
              "format_version",
              "success",
              "error"
            ],
            "type": "object"
          },
          "HealData": {
            "additionalProperties": {
              "$ref": "#/components/schemas/TokenHealth"
            },
            "description": "POST /tokens/heal: the check after the heal, what the heal did (`auto_heal_results`), and the check before it (`before`).",
            "properties": {
              "auto_heal_attempted": {
                "type": "boolean"
              },
              "auto_heal_results": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/HealResult"
                },
                "description": "When a heal ran first: what it did, per token name.",
                "type": "object"
              },
              "before": {
                "$ref": "#/components/schemas/HealthData"
              },
              "heal": {
                "$ref": "#/components/schemas/HealSummary"
              },
              "overall_health": {
                "$ref": "#/components/schemas/HealthState",
                "description": "The seed's name for the overall state."
              },
              "overall_score": {
                "maximum": 100,
                "minimum": 0,
                "type": "integer"
              },
              "overall_status": {
                "$ref": "#/components/schemas/HealthState"
              },
              "recommendations": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "source": {
                "type": "string"
              },
              "timestamp": {
                "type": "string"
              },
              "tokens": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/TokenHealth"
                },
                "type": "object"
              }
            },
            "required": [
              "timestamp",
              "overall_health",
              "recommendations",
              "auto_heal_attempted",
              "overall_status",
              "overall_score",
              "source",
              "tokens",
              "auto_heal_results",
              "heal",
              "before"
            ],
            "type": "object"
          },
          "HealResponse": {
            "additionalProperties": false,
            "description": "The seed's envelope around a heal, with its message.",
            "properties": {
              "data": {
                "$ref": "#/components/schemas/HealData"
              },
              "format_version": {
                "const": "2",
                "description": "The version of this document's shape: 2 since the seed's envelope and keys.",
                "type": "string"
              },
              "message": {
                "type": "string"
              },
              "success": {
                "const": true,
                "type": "boolean"
              }
            },
            "required": [
              "format_version",
              "success",
              "message",
              "data"
            ],
            "type": "object"
          },
          "HealResult": {
            "additionalProperties": false,
            "properties": {
              "detail": {
                "description": "What happened, in TokenWarden's words.",
                "type": "string"
              },
              "healer": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "message": {
                "description": "As the seed's service said it (\"Successfully added 2 missing permissions\"), or why the token was not healed.",
                "type": "string"
              },
              "name": {
                "type": "string"
              },
              "outcome": {
                "enum": [
                  "applied",
                  "already-present",
                  "stale",
                  "failed",
                  "lost",
                  "skipped"
                ],
                "type": "string"
              },
              "permissions_added": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "permissions_already_present": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "success": {
                "type": "boolean"
              },
              "token_id": {
                "type": "string"
              },
              "token_type": {
                "type": "string"
              }
            },
            "required": [
              "name",
              "token_type",
              "token_id",
              "success",
              "permissions_added",
              "permissions_already_present",
              "message",
              "outcome",
              "detail"
            ],
            "type": "object"
          },
          "HealSummary": {
            "additionalProperties": false,
            "properties": {
              "message": {
                "type": "string"
              },
              "results": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/HealResult"
                },
                "type": "object"
              },
              "success": {
                "type": "boolean"
              }
            },
            "required": [
              "message",
              "results",
              "success"
            ],
            "type": "object"
          },
          "HealthData": {
            "additionalProperties": {
              "$ref": "#/components/schemas/TokenHealth"
            },
            "description": "A health check: the seed's keys, each token's object under its name in the policy (any key not listed here), and ours beside them.",
            "properties": {
              "auto_heal_attempted": {
                "type": "boolean"
              },
              "auto_heal_results": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/HealResult"
                },
                "description": "When a heal ran first: what it did, per token name.",
                "type": "object"
              },
              "heal": {
                "$ref": "#/components/schemas/HealSummary"
              },
              "overall_health": {
                "$ref": "#/components/schemas/HealthState",
                "description": "The seed's name for the overall state."
              },
              "overall_score": {
                "maximum": 100,
                "minimum": 0,
                "type": "integer"
              },
              "overall_status": {
                "$ref": "#/components/schemas/HealthState"
              },
              "recommendations": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "source": {
                "type": "string"
              },
              "timestamp": {
                "type": "string"
              },
              "tokens": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/TokenHealth"
                },
                "type": "object"
              }
            },
            "required": [
              "timestamp",
              "overall_health",
              "recommendations",
              "auto_heal_attempted",
              "overall_status",
              "overall_score",
              "source",
              "tokens"
            ],
            "type": "object"
          },
          "HealthResponse": {
            "additionalProperties": false,
            "description": "The seed's envelope around a health check.",
            "properties": {
              "data": {
                "$ref": "#/components/schemas/ServedHealthData"
              },
              "format_version": {
                "const": "2",
                "description": "The version of this document's shape: 2 since the seed's envelope and keys.",
                "type": "string"
              },
              "success": {
                "const": true,
                "type": "boolean"
              }
            },
            "required": [
              "format_version",
              "success",
              "data"
            ],
            "type": "object"
          },
          "HealthState": {
            "enum": [
              "healthy",
              "degraded",
              "unhealthy"
            ],
            "type": "string"
          },
          "HistoryCheck": {
            "additionalProperties": {
              "type": [
                "boolean",
                "integer",
                "null"
              ]
            },
            "description": "One check: the seed's keys, `<token>_valid`, `<token>_has_all_perms` and `<token>_missing_perms` for each token (any key not listed here), and ours.",
            "properties": {
              "auto_heal_attempted": {
                "type": "boolean"
              },
              "auto_heal_success": {
                "description": "false when no heal was attempted",
                "type": "boolean"
              },
              "heal_attempted": {
                "type": "boolean"
              },
              "heal_result": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "id": {
                "type": "integer"
              },
              "overall_health": {
                "type": "string"
              },
              "overall_score": {
                "type": "integer"
              },
              "overall_status": {
                "type": "string"
              },
              "source": {
                "type": "string"
              },
              "timestamp": {
                "type": "string"
              },
              "tokens": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/HistoryToken"
                },
                "type": "object"
              }
            },
            "required": [
              "timestamp",
              "overall_health",
              "auto_heal_attempted",
              "auto_heal_success",
              "heal_attempted",
              "heal_result",
              "id",
              "overall_score",
              "overall_status",
              "source",
              "tokens"
            ],
            "type": "object"
          },
          "HistoryData": {
            "additionalProperties": false,
            "properties": {
              "count": {
                "description": "The number of entries returned.",
                "type": "integer"
              },
              "history": {
                "items": {
                  "$ref": "#/components/schemas/HistoryCheck"
                },
                "type": "array"
              },
              "limit": {
                "maximum": 1000,
                "minimum": 1,
                "type": "integer"
              }
            },
            "required": [
              "history",
              "count",
              "limit"
            ],
            "type": "object"
          },
          "HistoryResponse": {
            "additionalProperties": false,
            "description": "The seed's envelope around the last checks.",
            "properties": {
              "data": {
                "$ref": "#/components/schemas/HistoryData"
              },
              "format_version": {
                "const": "2",
                "description": "The version of this document's shape: 2 since the seed's envelope and keys.",
                "type": "string"
              },
              "success": {
                "const": true,
                "type": "boolean"
              }
            },
            "required": [
              "format_version",
              "success",
              "data"
            ],
            "type": "object"
          },
          "HistoryToken": {
            "additionalProperties": false,
            "properties": {
              "expires_on": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "heal_attempted": {
                "type": "boolean"
              },
              "heal_result": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "health": {
                "type": "string"
              },
              "is_active": {
                "type": [
                  "boolean",
                  "null"
                ]
              },
              "is_valid": {
                "type": [
                  "boolean",
                  "null"
                ]
              },
              "missing_permissions": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "missing_permissions_count": {
                "type": "integer"
              },
              "score": {
                "type": "integer"
              },
              "status": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "token_id": {
                "type": "string"
              },
              "token_type": {
                "type": "string"
              }
            },
            "required": [
              "expires_on",
              "heal_attempted",
              "heal_result",
              "health",
              "is_active",
              "is_valid",
              "missing_permissions",
              "missing_permissions_count",
              "score",
              "status",
              "token_id",
              "token_type"
            ],
            "type": "object"
          },
          "MissingGrant": {
            "additionalProperties": false,
            "properties": {
              "healable": {
                "type": "boolean"
              },
              "permission_group": {
                "type": "string"
              },
              "reason": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "resource": {
                "type": "string"
              }
            },
            "required": [
              "permission_group",
              "resource",
              "healable"
            ],
            "type": "object"
          },
          "ServedHealthData": {
            "additionalProperties": {
              "$ref": "#/components/schemas/TokenHealth"
            },
            "description": "GET /tokens/health: the health check and when it was made; `stale` when Cloudflare could not be reached since.",
            "properties": {
              "age_seconds": {
                "minimum": 0,
                "type": "integer"
              },
              "auto_heal_attempted": {
                "type": "boolean"
              },
              "auto_heal_results": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/HealResult"
                },
                "description": "When a heal ran first: what it did, per token name.",
                "type": "object"
              },
              "checked_at": {
                "type": "string"
              },
              "heal": {
                "$ref": "#/components/schemas/HealSummary"
              },
              "last_error": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "overall_health": {
                "$ref": "#/components/schemas/HealthState",
                "description": "The seed's name for the overall state."
              },
              "overall_score": {
                "maximum": 100,
                "minimum": 0,
                "type": "integer"
              },
              "overall_status": {
                "$ref": "#/components/schemas/HealthState"
              },
              "recommendations": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "source": {
                "type": "string"
              },
              "stale": {
                "type": "boolean"
              },
              "timestamp": {
                "type": "string"
              },
              "tokens": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/TokenHealth"
                },
                "type": "object"
              }
            },
            "required": [
              "timestamp",
              "overall_health",
              "recommendations",
              "auto_heal_attempted",
              "overall_status",
              "overall_score",
              "source",
              "tokens",
              "checked_at",
              "age_seconds",
              "stale",
              "last_error"
            ],
            "type": "object"
          },
          "StatusData": {
            "additionalProperties": {
              "$ref": "#/components/schemas/StatusToken"
            },
            "description": "GET /tokens/status: each token's object under its name (any key not listed here).",
            "properties": {
              "age_seconds": {
                "minimum": 0,
                "type": "integer"
              },
              "checked_at": {
                "type": "string"
              },
              "last_error": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "overall_health": {
                "$ref": "#/components/schemas/HealthState"
              },
              "overall_score": {
                "type": "integer"
              },
              "overall_status": {
                "$ref": "#/components/schemas/HealthState"
              },
              "recommendations": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "source": {
                "type": "string"
              },
              "stale": {
                "type": "boolean"
              },
              "timestamp": {
                "type": "string"
              },
              "tokens": {
                "additionalProperties": {
                  "$ref": "#/components/schemas/StatusToken"
                },
                "type": "object"
              }
            },
            "required": [
              "overall_health",
              "recommendations",
              "timestamp",
              "overall_status",
              "overall_score",
              "source",
              "tokens",
              "checked_at",
              "age_seconds",
              "stale",
              "last_error"
            ],
            "type": "object"
          },
          "StatusResponse": {
            "additionalProperties": false,
            "description": "The seed's envelope around the compact status.",
            "properties": {
              "data": {
                "$ref": "#/components/schemas/StatusData"
              },
              "format_version": {
                "const": "2",
                "description": "The version of this document's shape: 2 since the seed's envelope and keys.",
                "type": "string"
              },
              "success": {
                "const": true,
                "type": "boolean"
              }
            },
            "required": [
              "format_version",
              "success",
              "data"
            ],
            "type": "object"
          },
          "StatusToken": {
            "additionalProperties": false,
            "properties": {
              "days_until_expiry": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "expires_on": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "has_all_permissions": {
                "type": "boolean"
              },
              "health": {
                "$ref": "#/components/schemas/HealthState"
              },
              "is_active": {
                "type": [
                  "boolean",
                  "null"
                ]
              },
              "is_valid": {
                "type": [
                  "boolean",
                  "null"
                ]
              },
              "missing_permissions_count": {
                "minimum": 0,
                "type": "integer"
              },
              "score": {
                "maximum": 100,
                "minimum": 0,
                "type": "integer"
              },
              "status": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "token_id": {
                "type": "string"
              },
              "token_type": {
                "type": "string"
              }
            },
            "required": [
              "days_until_expiry",
              "expires_on",
              "has_all_permissions",
              "health",
              "is_active",
              "is_valid",
              "missing_permissions_count",
              "score",
              "status",
              "token_id",
              "token_type"
            ],
            "type": "object"
          },
          "TokenHealth": {
            "additionalProperties": false,
            "properties": {
              "conditions": {
                "items": {
                  "$ref": "#/components/schemas/Condition"
                },
                "type": "array"
              },
              "days_until_expiry": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "error": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "expires_on": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "extra_permissions": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "grants_hash": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "last_used_on": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "has_all_permissions": {
                "type": "boolean"
              },
              "healer": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "health": {
                "$ref": "#/components/schemas/HealthState"
              },
              "is_active": {
                "type": [
                  "boolean",
                  "null"
                ]
              },
              "is_valid": {
                "type": [
                  "boolean",
                  "null"
                ]
              },
              "missing_grants": {
                "items": {
                  "$ref": "#/components/schemas/MissingGrant"
                },
                "type": "array"
              },
              "missing_permissions": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "missing_permissions_count": {
                "minimum": 0,
                "type": "integer"
              },
              "name": {
                "type": "string"
              },
              "not_before": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "owner": {
                "type": "string"
              },
              "recommendations": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              },
              "score": {
                "maximum": 100,
                "minimum": 0,
                "type": "integer"
              },
              "status": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "token_id": {
                "type": "string"
              },
              "token_type": {
                "enum": [
                  "user",
                  "account"
                ],
                "type": "string"
              },
              "verification_url": {
                "type": "string"
              }
            },
            "required": [
              "conditions",
              "days_until_expiry",
              "error",
              "expires_on",
              "extra_permissions",
              "grants_hash",
              "has_all_permissions",
              "healer",
              "health",
              "is_active",
              "is_valid",
              "last_used_on",
              "missing_grants",
              "missing_permissions",
              "missing_permissions_count",
              "name",
              "not_before",
              "owner",
              "recommendations",
              "score",
              "status",
              "token_id",
              "token_type",
              "verification_url"
            ],
            "type": "object"
          }
        },
        "securitySchemes": {
          "basicAuth": {
            "description": "Any user name; the client token as the password (for browsers).",
            "scheme": "basic",
            "type": "http"
          },
          "bearerAuth": {
            "description": "The client token (CLIENT_AUTH_TOKEN).",
            "scheme": "bearer",
            "type": "http"
          }
        }
      },
      "info": {
        "description": "REST endpoints of `tokenwarden serve`: token health, heal, status, history, metrics and the dashboard. Every endpoint but /healthz needs the client token (CLIENT_AUTH_TOKEN) as a Bearer token, or as the password of HTTP Basic. Responses never contain a token value. Answers keep the shapes of the service TokenWarden replaces: an envelope `{\"format_version\": \"2\", \"success\": true, \"data\": {…}}` (errors: `success: false` and `error`), the overall state as `overall_health`, and each token's object in `data` under its name in the policy, with TokenWarden's own fields beside the seed's.",
        "title": "TokenWarden service",
        "version": "2"
      },
      "openapi": "3.1.0",
      "paths": {
        "/": {
          "get": {
            "operationId": "getDashboard",
            "responses": {
              "200": {
                "content": {
                  "text/html": {
                    "schema": {
                      "type": "string"
                    }
                  }
                },
                "description": "The dashboard."
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "421": {
                "$ref": "#/components/responses/MisdirectedRequest"
              }
            },
            "summary": "The dashboard (HTML, readable without JavaScript)"
          }
        },
        "/healthz": {
          "get": {
            "operationId": "healthz",
            "responses": {
              "200": {
                "content": {
                  "application/json": {
                    "schema": {
                      "additionalProperties": false,
                      "properties": {
                        "status": {
                          "const": "ok",
                          "type": "string"
                        }
                      },
                      "required": [
                        "status"
                      ],
                      "type": "object"
                    }
                  }
                },
                "description": "The process answers."
              }
            },
            "security": [],
            "summary": "Is the process alive"
          }
        },
        "/metrics": {
          "get": {
            "operationId": "getMetrics",
            "responses": {
              "200": {
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  }
                },
                "description": "Metrics."
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "421": {
                "$ref": "#/components/responses/MisdirectedRequest"
              }
            },
            "summary": "Prometheus metrics (text format 0.0.4); never calls Cloudflare"
          }
        },
        "/openapi.json": {
          "get": {
            "operationId": "getOpenAPI",
            "responses": {
              "200": {
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object"
                    }
                  }
                },
                "description": "The OpenAPI document."
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "421": {
                "$ref": "#/components/responses/MisdirectedRequest"
              }
            },
            "summary": "This document"
          }
        },
        "/tokens/heal": {
          "post": {
            "operationId": "heal",
            "responses": {
              "200": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/HealResponse"
                    }
                  }
                },
                "description": "What the heal did, with the checks before and after."
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "403": {
                "$ref": "#/components/responses/Forbidden"
              },
              "409": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "Another apply holds the lock."
              },
              "421": {
                "$ref": "#/components/responses/MisdirectedRequest"
              }
            },
            "summary": "Check, add what is missing through the cross-token healer, check again (serialised with scheduled runs)"
          }
        },
        "/tokens/health": {
          "get": {
            "operationId": "getHealth",
            "parameters": [
              {
                "description": "Heal what is missing, then check again.",
                "in": "query",
                "name": "auto_heal",
                "required": false,
                "schema": {
                  "enum": [
                    "true",
                    "false",
                    "1",
                    "0",
                    "yes",
                    "no"
                  ],
                  "type": "string"
                }
              }
            ],
            "responses": {
              "200": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/HealthResponse"
                    }
                  }
                },
                "description": "The check."
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "403": {
                "$ref": "#/components/responses/Forbidden"
              },
              "421": {
                "$ref": "#/components/responses/MisdirectedRequest"
              }
            },
            "summary": "A fresh health check (shared by concurrent callers, at most one per interval)"
          }
        },
        "/tokens/history": {
          "get": {
            "operationId": "getHistory",
            "parameters": [
              {
                "in": "query",
                "name": "limit",
                "required": false,
                "schema": {
                  "default": 10,
                  "maximum": 1000,
                  "minimum": 1,
                  "type": "integer"
                }
              }
            ],
            "responses": {
              "200": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/HistoryResponse"
                    }
                  }
                },
                "description": "The checks."
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "421": {
                "$ref": "#/components/responses/MisdirectedRequest"
              },
              "503": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "The history database is not available."
              }
            },
            "summary": "The last health checks, newest first"
          }
        },
        "/tokens/status": {
          "get": {
            "operationId": "getStatus",
            "responses": {
              "200": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/StatusResponse"
                    }
                  }
                },
                "description": "The last check."
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "421": {
                "$ref": "#/components/responses/MisdirectedRequest"
              },
              "503": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "No check has completed yet."
              }
            },
            "summary": "The last check, compact; never calls Cloudflare"
          }
        }
      },
      "security": [
        {
          "bearerAuth": []
        },
        {
          "basicAuth": []
        }
      ]
    }
    """#
}
