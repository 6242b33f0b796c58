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
              "Drifted"
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
          }
        },
        "required": [
          "error"
        ],
        "type": "object"
      },
      "HealReport": {
        "additionalProperties": false,
        "properties": {
          "after": {
            "$ref": "#/components/schemas/HealthReport"
          },
          "before": {
            "$ref": "#/components/schemas/HealthReport"
          },
          "format_version": {
            "description": "The version of this document's shape.",
            "enum": [
              "1"
            ],
            "type": "string"
          },
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
          },
          "timestamp": {
            "type": "string"
          }
        },
        "required": [
          "after",
          "before",
          "format_version",
          "message",
          "results",
          "success",
          "timestamp"
        ],
        "type": "object"
      },
      "HealResult": {
        "additionalProperties": false,
        "properties": {
          "healer": {
            "type": [
              "string",
              "null"
            ]
          },
          "message": {
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
          "outcome"
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
      "HealthReport": {
        "additionalProperties": false,
        "description": "A health check (the CLI's `health --json`).",
        "properties": {
          "format_version": {
            "const": "1",
            "type": "string"
          },
          "heal": {
            "$ref": "#/components/schemas/HealSummary"
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
          "format_version",
          "overall_score",
          "overall_status",
          "recommendations",
          "source",
          "timestamp",
          "tokens"
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
      "History": {
        "additionalProperties": false,
        "properties": {
          "count": {
            "type": "integer"
          },
          "format_version": {
            "description": "The version of this document's shape.",
            "enum": [
              "1"
            ],
            "type": "string"
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
          "count",
          "format_version",
          "history",
          "limit"
        ],
        "type": "object"
      },
      "HistoryCheck": {
        "additionalProperties": false,
        "properties": {
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
          "heal_attempted",
          "heal_result",
          "id",
          "overall_score",
          "overall_status",
          "source",
          "timestamp",
          "tokens"
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
      "ServedHealthReport": {
        "additionalProperties": false,
        "description": "GET /tokens/health: the health report and when it was checked; `stale` when Cloudflare could not be reached since.",
        "properties": {
          "age_seconds": {
            "minimum": 0,
            "type": "integer"
          },
          "checked_at": {
            "type": "string"
          },
          "format_version": {
            "const": "1",
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
          "age_seconds",
          "checked_at",
          "format_version",
          "last_error",
          "overall_score",
          "overall_status",
          "recommendations",
          "source",
          "stale",
          "timestamp",
          "tokens"
        ],
        "type": "object"
      },
      "StatusReport": {
        "additionalProperties": false,
        "properties": {
          "age_seconds": {
            "minimum": 0,
            "type": "integer"
          },
          "checked_at": {
            "type": "string"
          },
          "format_version": {
            "const": "1",
            "type": "string"
          },
          "last_error": {
            "type": [
              "string",
              "null"
            ]
          },
          "overall_score": {
            "type": "integer"
          },
          "overall_status": {
            "$ref": "#/components/schemas/HealthState"
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
          "age_seconds",
          "checked_at",
          "format_version",
          "last_error",
          "overall_score",
          "overall_status",
          "source",
          "stale",
          "timestamp",
          "tokens"
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
    "description": "REST endpoints of `tokenwarden serve`: token health, heal, status, history, metrics and the dashboard. Every endpoint but /healthz needs the client token (CLIENT_AUTH_TOKEN) as a Bearer token, or as the password of HTTP Basic. Responses never contain a token value.",
    "title": "TokenWarden service",
    "version": "1"
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
                  "$ref": "#/components/schemas/HealReport"
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
                  "$ref": "#/components/schemas/ServedHealthReport"
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
                  "$ref": "#/components/schemas/History"
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
                  "$ref": "#/components/schemas/StatusReport"
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
