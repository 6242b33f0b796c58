import LiveState
import TokenModel

// The planner's message catalogue: why a grant is blocked and why a token cannot be an editor, as types, and their
// English in one place. Plans carry the English (people read it in plan files and comments) beside the stable `kind`.

/// Why a required grant cannot be added.
enum BlockReason {
  case unreadable
  case denied(group: String, denyResource: String)
  case inactive(status: String)
  case editorLacksZoneGrant(editor: String, group: String, resource: String)
  case refused(String)
  case noEditor

  var kind: BlockedGrant.Kind {
    switch self {
    case .unreadable: .unreadable
    case .denied: .deniedByPolicy
    case .inactive: .tokenInactive
    case .editorLacksZoneGrant, .refused: .editorLacksGrant
    case .noEditor: .noEditor
    }
  }

  var text: String {
    switch self {
    case .unreadable: "the token cannot be read, so nothing can be added"
    case .denied(let group, let resource):
      "denied by a deny policy on the token (deny '\(group)' on \(resource)); TokenWarden never removes a deny: remove that policy in the dashboard if the permission is wanted"
    case .inactive(let status): "the token is \(status)"
    case .editorLacksZoneGrant(let editor, let group, let resource):
      "\(editor) is account-owned and does not hold '\(group)' on \(resource) itself (Cloudflare's common permission check)"
    case .refused(let message): message
    case .noEditor: "no token can edit it"
    }
  }
}

extension BlockedGrant {
  init(grant: PlannedGrant, _ reason: BlockReason) {
    self.init(grant: grant, reason: reason.text, kind: reason.kind)
  }
}

/// Why a token cannot edit another (`short` is the target's short id).
enum EditorRefusal {
  case secretMissing(editor: String, why: String)
  case unread(editor: String)
  case inactive(editor: String, status: String)
  case accountCannotEditUser(editor: String, target: String, short: String)
  case lacksUserWrite(editor: String, target: String, short: String)
  case otherAccount(editor: String, target: String, short: String)
  case lacksAccountWrite(editor: String, short: String, account: String, userOwned: Bool)
  case resendRefused(editor: String, group: String, resource: String, target: String)
  case listsButDoesNotSee(editor: String, family: String, target: String, short: String)
  case cannotSee(editor: String, target: String, short: String, why: String)
  case notAsked(editor: String, target: String, short: String)
  case nobodyMay(target: String, short: String)

  var text: String {
    switch self {
    case .secretMissing(let editor, let why): "\(editor) cannot be used as editor: \(why)"
    case .unread(let editor): "\(editor) could not be read, so what it may do is unknown"
    case .inactive(let editor, let status): "\(editor) is \(status)"
    case .accountCannotEditUser(let editor, let target, let short):
      "\(editor) is account-owned and can never edit user-owned \(target) (\(short)): account tokens cannot hold user permissions; give a user token of the same user 'API Tokens Write' and name it as healer"
    case .lacksUserWrite(let editor, let target, let short):
      "\(editor) lacks 'API Tokens Write' on its user, which editing \(target) (\(short)) takes; add it"
    case .otherAccount(let editor, let target, let short):
      "\(editor) belongs to another account and cannot edit \(target) (\(short))"
    case .lacksAccountWrite(let editor, let short, let account, let userOwned):
      "\(editor) cannot see account-owned token \(short): give it Account API Tokens Write on account \(account)\(userOwned ? " (its user must be Super Administrator)" : ""), or recreate the token as user-owned"
    case .resendRefused(let editor, let group, let resource, let target):
      "\(editor) is account-owned and does not hold '\(group)' on \(resource), which \(target) already has and every write sends again (Cloudflare's common permission check, error 1001): give \(editor) that permission, or heal through a user-owned token"
    case .listsButDoesNotSee(let editor, let family, let target, let short):
      "\(editor) can list \(family) tokens but does not see \(target) (\(short)): check the token id and owner"
    case .cannotSee(let editor, let target, let short, let why): "\(editor) cannot see \(target) (\(short)): \(why)"
    case .notAsked(let editor, let target, let short): "\(editor) was not asked to read \(target) (\(short))"
    case .nobodyMay(let target, let short):
      "no token of the policy may edit \(target) (\(short)); name a healer, or write 'healer: self'"
    }
  }

  var failure: ObservationFailure { ObservationFailure(text) }
}
