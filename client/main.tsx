// First: it sets how zod works before any schema is used.
import './lib/noEval'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './styles.css'
import './motion.css'
import './easyRead/easyRead.css'
import { App } from './App'
import { initI18n } from './i18n'
import { watchMissingParts } from './lib/build'
import { registerServiceWorker } from './pwa/serviceWorker'

initI18n()
registerServiceWorker()
watchMissingParts()

const root = document.getElementById('root')
if (!root) throw new Error('The page has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
