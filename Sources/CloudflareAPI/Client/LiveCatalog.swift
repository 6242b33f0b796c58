import TokenModel

extension PermissionCatalog {
  /// The catalog a family's `permission_groups` answer describes. Groups without a known scope are left out; an
  /// account family's answer has no user-level groups, so the bundled ones are kept for those.
  package init(live groups: [APIPermissionGroup], family: TokenFamily, origin: String) {
    var live = groups.compactMap { group -> PermissionGroup? in
      guard let id = HexID(group.id) else { return nil }
      let scopes = group.scopes.compactMap(PermissionScope.init(rawValue:))
      return scopes.isEmpty ? nil : PermissionGroup(id: id, name: group.name, scopes: scopes)
    }
    if case .account = family {
      live += PermissionCatalog.bundled.groups.filter { $0.scopes.contains(.user) }
    }
    self.init(groups: live, origin: origin)
  }
}
