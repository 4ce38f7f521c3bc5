import { useUndoActions, useUndoables } from '../../lib/undo-store'
import { Toast, ToastStack } from './toast'

/** The studio's one stack of Undo toasts, over the bottom of the area it sits in (the main view). */
export function UndoToasts() {
  const items = useUndoables()
  const { settle } = useUndoActions()
  return (
    <ToastStack>
      {items.map((item) => (
        <Toast
          key={item.key}
          until={item.until}
          focusAction={item.focus}
          action={{ label: 'Undo', onAction: () => settle(item.key, true) }}
          onDismiss={() => settle(item.key, false)}
        >
          {item.message}
        </Toast>
      ))}
    </ToastStack>
  )
}
