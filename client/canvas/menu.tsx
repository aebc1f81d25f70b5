import { useTranslation } from 'react-i18next'
import {
  AccessibilityMenu,
  ArrangeMenuSubmenu,
  ClipboardMenuGroup,
  ConversionsMenuGroup,
  DefaultContextMenu,
  DefaultMainMenu,
  EditMenuSubmenu,
  EditSubmenu,
  InputModeMenu,
  KeyboardShortcutsMenuItem,
  ReorderMenuSubmenu,
  SelectAllMenuItem,
  type TLUiContextMenuProps,
  TldrawUiMenuCheckboxItem,
  TldrawUiMenuGroup,
  TldrawUiMenuSubmenu,
  ToggleDebugModeItem,
  ToggleDynamicSizeModeItem,
  ToggleEdgeScrollingItem,
  ToggleFocusModeItem,
  ToggleGridItem,
  TogglePasteAtCursorItem,
  ToggleSnapModeItem,
  ToggleToolLockItem,
  ToggleWrapModeItem,
  ViewSubmenu,
} from 'tldraw'
import { LANGUAGES, setLanguage } from '../i18n'

/**
 * tldraw's main menu with these changes: the language list holds the app's own languages and
 * switches the whole app; there is no colour scheme (the atlas's panels and sheets are light); and
 * no export or insert of tldraw's own (the Exporteren button is the one export).
 */
export function AtlasMainMenu() {
  return (
    <DefaultMainMenu>
      <TldrawUiMenuGroup id="basic">
        <EditSubmenu />
        <ViewSubmenu />
      </TldrawUiMenuGroup>
      <TldrawUiMenuGroup id="preferences">
        <TldrawUiMenuSubmenu id="preferences" label="menu.preferences">
          <TldrawUiMenuGroup id="preferences-actions">
            <ToggleSnapModeItem />
            <ToggleToolLockItem />
            <ToggleGridItem />
            <ToggleWrapModeItem />
            <ToggleFocusModeItem />
            <ToggleEdgeScrollingItem />
            <ToggleDynamicSizeModeItem />
            <TogglePasteAtCursorItem />
            <ToggleDebugModeItem />
          </TldrawUiMenuGroup>
          <TldrawUiMenuGroup id="user-interface-submenus">
            <AccessibilityMenu />
            <InputModeMenu />
          </TldrawUiMenuGroup>
        </TldrawUiMenuSubmenu>
        <AtlasLanguageMenu />
        <KeyboardShortcutsMenuItem />
      </TldrawUiMenuGroup>
    </DefaultMainMenu>
  )
}

/** Nederlands or English, for the whole app (remembered on this device). */
function AtlasLanguageMenu() {
  const { i18n } = useTranslation()
  return (
    <TldrawUiMenuSubmenu id="atlas-language" label="menu.language">
      <TldrawUiMenuGroup id="atlas-languages">
        {LANGUAGES.map(({ code, label }) => (
          <TldrawUiMenuCheckboxItem
            id={`atlas-language-${code}`}
            key={code}
            lang={code}
            label={label}
            checked={i18n.language === code}
            readonlyOk
            onSelect={() => setLanguage(code)}
          />
        ))}
      </TldrawUiMenuGroup>
    </TldrawUiMenuSubmenu>
  )
}

/**
 * tldraw's context menu without "move to page": the five maps each have their own layout, and
 * a shape moved to another map would stand where that map means something else.
 */
export function AtlasContextMenu(props: TLUiContextMenuProps) {
  return (
    <DefaultContextMenu {...props}>
      <TldrawUiMenuGroup id="modify">
        <EditMenuSubmenu />
        <ArrangeMenuSubmenu />
        <ReorderMenuSubmenu />
      </TldrawUiMenuGroup>
      <ClipboardMenuGroup />
      <ConversionsMenuGroup />
      <TldrawUiMenuGroup id="select-all">
        <SelectAllMenuItem />
      </TldrawUiMenuGroup>
    </DefaultContextMenu>
  )
}
